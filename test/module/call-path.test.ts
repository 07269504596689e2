// What a nested call waits for in module mode, driven through the real handlers with a `$` whose hops are
// held until the test lets them go: the call's start is written before the agent starts (strict mode
// refuses the call when it cannot be); a call that names a slot reads the session's slots in one batch;
// an agent's report goes back to its caller without waiting for the agent list, and its tokens reach the
// log behind it.
import { describe, expect, it } from 'vitest'
import type { Engine } from '../../src/module/mod-api.ts'
import { examplesSnapshot, fsFailure, loadHandlers, memoryEngine } from '../helpers/module-handlers.ts'
import type { Registered } from '../helpers/module-handlers.ts'

const DATA = '/data'
const SNAPSHOT = examplesSnapshot()
const CALL_LOG = `${DATA}/sessions/held/calls-module.jsonl`

/** A promise the test settles, with a note in `events` when it is asked for. */
function held<T>(events: string[], name: string) {
  let release!: (value: T) => void
  let fail!: (error: Error) => void
  const promise = new Promise<T>((resolve, reject) => {
    release = resolve
    fail = reject
  })
  const ask = () => {
    events.push(name)
    return promise
  }
  return { promise, release, fail, ask }
}

/** A settled promise's value, or `pending` (microtasks drained, no timers). */
async function state(promise: Promise<unknown>): Promise<unknown> {
  const pending = Symbol('pending')
  for (let i = 0; i < 50; i++) await Promise.resolve()
  return Promise.race([promise, Promise.resolve(pending)]).then((v) => (v === pending ? 'pending' : v))
}

async function heldSession(options: { strict?: boolean } = {}) {
  const events: string[] = []
  const files = new Map<string, string>([
    [`${DATA}/registry-examples.json`, SNAPSHOT],
    [`${DATA}/sessions/held/registry-path`, `${DATA}/registry-examples.json\n`],
  ])
  if (options.strict) files.set('/home/u/.claude/switchboard/policy.json', JSON.stringify({ strict: true }))
  const $ = memoryEngine(files, { SWITCHBOARD_DATA_DIR: DATA, HOME: '/home/u' }, { sessionId: 'held' })
  /** The next write of the call log, held until released (later ones go through). */
  let logWrite: ReturnType<typeof held<void>> | undefined
  const write = $.fs.write
  $.fs.write = async (path: string, text: string) => {
    if (path === CALL_LOG && logWrite) {
      const gate = logWrite
      logWrite = undefined
      await gate.ask()
    }
    return write(path, text)
  }
  /** The next agent list, held until released with its rows. */
  let agentList: ReturnType<typeof held<unknown[]>> | undefined
  ;($ as { agent: Engine['agent'] }).agent = {
    ...$.agent,
    list: (async () => (agentList ? agentList.ask() : [])) as Engine['agent']['list'],
  }
  const handlers = loadHandlers()
  await run(handlers.get('classic.SessionStart')!, $, { session_id: 'held', cwd: '/work', source: 'startup' }, {})
  return {
    $,
    events,
    files,
    handlers,
    holdLogWrite: () => (logWrite = held<void>(events, 'log write')),
    holdAgentList: () => (agentList = held<unknown[]>(events, 'agent list')),
  }
}

/** What each `next` was called with, last at the end. */
const started: unknown[] = []

/** A handler as Claude Code runs it, `next` noting in `events` when it is called; its fallback on a throw. */
async function run(entry: Registered, $: Engine, e: unknown, answer: unknown, events: string[] = []) {
  const next = Object.assign(
    async (event: unknown) => {
      events.push('next')
      started.push(event)
      return answer
    },
    {
      called: false,
      error: undefined as unknown,
      origin: { plugin: 'engine', tier: 'user' },
    },
  )
  try {
    return await entry.handler($, e, next)
  } catch (error) {
    next.error = error
    return entry.fallback!($, e, next)
  }
}

const spawnEvent = (id: string) => ({
  tool_use_id: id,
  prompt: 'Edit: kites.',
  description: 'edit',
  subagentType: 'tdd-editor:editor',
  provider: { plugin: 'x', tier: 'user' },
  background: false,
  fork: false,
})

/** A slot file as the context store writes it. */
const slotFile = (name: string, value: string) =>
  JSON.stringify({ name, type: 'text', value, writer: 'tdd-tech:tech-writer', ts: 1 })

describe('what a nested call waits for in module mode', () => {
  it("reads the session's slots in one batch for a call that names one, and injects the one it names", async () => {
    const s = await heldSession()
    for (const name of ['draft', 'outline', 'notes'])
      s.files.set(`${DATA}/sessions/held/context/${name}.json`, slotFile(name, `the ${name}`))
    // Each read waits a turn of the event loop, as a hop does; the most at once says how they were asked.
    let reading = 0
    let most = 0
    const read = s.$.fs.read
    s.$.fs.read = (async (path: string, options?: { as: 'bytes' }) => {
      if (!path.includes('/context/')) return read(path, options as never)
      reading++
      most = Math.max(most, reading)
      await new Promise((resolve) => setTimeout(resolve, 1))
      reading--
      return read(path, options as never)
    }) as typeof read
    const asked: string[] = []
    const { list, exists } = s.$.fs
    s.$.fs.list = (async (path: string) => {
      asked.push(`list ${path}`)
      return list(path)
    }) as typeof list
    s.$.fs.exists = (async (path: string) => {
      asked.push(`exists ${path}`)
      return exists(path)
    }) as typeof exists
    const event = { ...spawnEvent('t1'), prompt: 'Edit $draft please.' }
    const spawned = (await run(
      s.handlers.get('agent.spawn')!,
      s.$,
      event,
      { model: 'm', agentId: 'a1' },
      s.events,
    )) as {
      agentId: string
    }
    expect(spawned.agentId).toBe('a1')
    expect(asked.filter((a) => a.endsWith('/context'))).toEqual([`list ${DATA}/sessions/held/context`])
    expect(most).toBe(3)
    expect(s.events).toEqual(['next'])
    expect((started.at(-1) as { prompt: string }).prompt).toContain('the draft')
  })

  // Claude Code rejects a listing of a folder not there; one that is there but cannot be listed is no empty one.
  it.each([
    ['with no context folder yet: none, and the caller is told the slot is unknown', false],
    ['in a context folder that cannot be listed: the call is refused, in open mode too, and says why', true],
  ])('reads the slots %s', async (_, present) => {
    const s = await heldSession()
    if (present) s.files.set(`${DATA}/sessions/held/context/draft.json`, slotFile('draft', 'the draft'))
    const list = s.$.fs.list
    s.$.fs.list = (async (path: string) => {
      if (!path.endsWith('/context')) return list(path)
      throw fsFailure('list', path, present ? 'EACCES' : 'ENOENT')
    }) as typeof list
    const event = { ...spawnEvent('t1'), prompt: 'Edit $draft please.' }
    const answer = await run(s.handlers.get('agent.spawn')!, s.$, event, { model: 'm', agentId: 'a1' }, s.events)
    if (!present) {
      expect(answer).toEqual({ deny: expect.stringMatching(/unknown slot \$draft.*none yet/) })
      return
    }
    // The session's context cannot be read: the call is refused (it ran unchecked in open mode, found by review).
    expect(answer).toEqual({
      deny: expect.stringMatching(
        /^Switchboard: unchecked: this session's context cannot be read or written \(switchboard: \$\.fs\.list\(/,
      ),
    })
    expect(s.events).toEqual([])
  })

  // A fan-out's first return makes the context folder while another step's spawn reads the slots: its listing
  // was refused (nothing there), and by the check after it the folder was there. It fails no call: the folder
  // is listed again (2.1.331 and 2.1.332: the step ran unchecked, its return in no slot, found in CI).
  it('reads the slots of a context folder made between its listing and the check after it', async () => {
    const s = await heldSession()
    const list = s.$.fs.list
    let listings = 0
    s.$.fs.list = (async (path: string) => {
      if (!path.endsWith('/context')) return list(path)
      if (++listings > 1) return list(path)
      s.files.set(`${DATA}/sessions/held/context/draft.json`, slotFile('draft', 'the draft'))
      throw fsFailure('list', path, 'ENOENT')
    }) as typeof list
    const event = { ...spawnEvent('t1'), prompt: 'Edit $draft please.' }
    const answer = await run(s.handlers.get('agent.spawn')!, s.$, event, { model: 'm', agentId: 'a1' }, s.events)
    expect(answer).toEqual({ model: 'm', agentId: 'a1' })
    expect(listings).toBe(2)
    expect((started.at(-1) as { prompt: string }).prompt).toContain('the draft')
    expect(s.files.get(CALL_LOG)).toContain('"id":"t1"')
  })

  // A spawned agent runs as soon as `next` started it, before the spawn hook answers (2.1.332: its report came
  // before a start written beside it, which a crash would then have lost): the start is written first.
  it.each([false, true])("writes a call's start before the agent starts (strict %s)", async (strict) => {
    const s = await heldSession({ strict })
    const write = s.holdLogWrite()
    const spawned = run(s.handlers.get('agent.spawn')!, s.$, spawnEvent('t1'), { model: 'm', agentId: 'a1' }, s.events)
    expect(await state(spawned)).toBe('pending')
    expect(s.events).toEqual(['log write'])
    write.release()
    expect(await spawned).toEqual({ model: 'm', agentId: 'a1' })
    expect(s.events).toEqual(['log write', 'next'])

    expect(s.files.get(CALL_LOG)).toContain('"id":"t1"')
  })

  it('refuses the call in strict mode when its start cannot be written', async () => {
    const s = await heldSession({ strict: true })
    const failing = s.holdLogWrite()
    const refused = run(s.handlers.get('agent.spawn')!, s.$, spawnEvent('t2'), { model: 'm', agentId: 'a2' }, s.events)
    failing.fail(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }))
    expect(await refused).toEqual({
      deny: expect.stringMatching(/^Switchboard: the guard failed on this call \(.+\), and strict mode/),
    })
    expect(s.events).toEqual(['log write'])
  })

  it("hands an agent's report to its caller without waiting for the agent list, and logs its tokens behind it", async () => {
    const s = await heldSession()
    await run(s.handlers.get('agent.spawn')!, s.$, spawnEvent('t1'), { model: 'm', agentId: 'a1' })
    const list = s.holdAgentList()
    const report = { agentId: 'a1', subagentType: 'tdd-editor:editor', status: 'completed', text: 'EDITED' }
    const reported = await run(s.handlers.get('agent.report')!, s.$, report, { text: 'EDITED' })
    expect(reported).toEqual({ text: 'EDITED' })
    expect(s.events).toEqual(['agent list'])
    // The call has ended for every decision after it, and in the file, before its tokens are known.
    expect(s.files.get(CALL_LOG)).toMatch(/"e":"end","id":"t1","status":"ok"/)
    expect(s.files.get(CALL_LOG)).not.toContain('"tokens"')
    // Claude Code's bound on the session's end, not yet run out.
    ;(s.$ as { clock: Engine['clock'] }).clock = { ...s.$.clock, sleep: () => new Promise(() => {}) }
    const ended = run(s.handlers.get('session.end')!, s.$, { reason: 'other' }, {})
    expect(await state(ended)).toBe('pending') // the session's end waits for them
    // The count comes while the log is being written (a refused call's record, which no write follows): it
    // joins the write after that one.
    const write = s.holdLogWrite()
    const refused = { ...spawnEvent('t2'), subagentType: 'tdd-editor:no-such-agent' }
    const second = run(s.handlers.get('agent.spawn')!, s.$, refused, { model: 'm', agentId: 'a2' })
    expect(await state(second)).toBe('pending')
    list.release([{ id: 'a1', type: 'tdd-editor:editor', status: 'completed', tokenCount: 321 }])
    expect(await state(ended)).toBe('pending')
    write.release()
    await Promise.all([second, ended])
    expect(s.files.get(CALL_LOG)).toMatch(/"e":"end","id":"t1","status":"ok"[^\n]*"tokens":321/)
    expect(s.files.get(CALL_LOG)).toContain('"id":"t2"')
  })
})
