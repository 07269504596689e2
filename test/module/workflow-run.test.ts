// The hooks module's side of a workflow run, in process: it makes each call the MCP server hands out
// (the server's real drive_workflow, answering a `$` whose file system is this machine's) and writes
// the receipts the server hands back. When the server stops deciding a run mid-way, the module waits
// for its calls still out and answers the run as failed, naming the steps whose receipts were lost.
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { getSlot, putSlot } from '../../src/context/index.ts'
import { callTool } from '../../src/mcp/tool-calls.ts'
import type { Engine } from '../../src/module/mod-api.ts'
import { openSession, pendingKey } from '../../src/module/session-state.ts'
import type { SessionState } from '../../src/module/session-state.ts'
import { runWorkflow, workflowTagOf } from '../../src/module/workflow-run.ts'
import { readSessionSnapshot, recordSessionProcess } from '../../src/trace/index.ts'
import { hookSession } from '../helpers/hooks.ts'
import { fsFailure } from '../helpers/module-handlers.ts'
import { EDIT_THEN_PICTURE } from '../helpers/workflows.ts'

type AgentInput = { subagent_type?: string; prompt?: string }

/** A workflow file the caller names, read from the session's folder (what the caller's Read gives). */
function readInHome(home: string, path: string) {
  const file = realpathSync(resolve(home, path))
  return { text: readFileSync(file, 'utf8'), file }
}

/** A `$.fs` call on this machine's files, refused as Claude Code refuses it (fsFailure: `... failed: ENOENT`). */
function asClaudeCode<T>(call: string, path: string, work: () => T): T {
  try {
    return work()
  } catch (thrown) {
    throw fsFailure(call, path, String((thrown as NodeJS.ErrnoException).code ?? 'EIO'))
  }
}

/** `$.fs` on this machine's files, as Claude Code answers: a link listed and stat'ed as itself (`isLink`), not followed. */
const LOCAL_FS = {
  read: async (path: string) => asClaudeCode('read', path, () => readFileSync(path, 'utf8')),
  write: async (path: string, text: string) => {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, text)
  },
  exists: async (path: string) => existsSync(path),
  list: async (path: string) =>
    asClaudeCode('list', path, () =>
      readdirSync(path, { withFileTypes: true }).map((e) => ({
        name: e.name,
        kind: e.isSymbolicLink() ? 'other' : e.isFile() ? 'file' : 'dir',
        size: e.isFile() ? lstatSync(join(path, e.name)).size : 0,
        isLink: e.isSymbolicLink(),
      })),
    ),
  stat: async (path: string) => {
    if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink())
      return { kind: 'other', size: 0, mtimeMs: 0, isLink: true }
    const stat = statSync(path, { throwIfNoEntry: false })
    if (!stat) throw fsFailure('stat', path, 'ENOENT')
    return {
      kind: stat.isFile() ? 'file' : 'dir',
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      realPath: realpathSync(path),
    }
  },
}

/**
 * The workflow `yaml` (as w.yaml in the session's project), the session opened by the module on `$`, and a
 * run of it with these inputs, answered as the invoke tool answers (its JSON parsed).
 */
async function moduleRun(s: ReturnType<typeof hookSession>, $: Engine, yaml: string) {
  writeFileSync(join(s.home, 'w.yaml'), yaml)
  const session = await openSession($, s.home, { context: '', dataDir: s.data, snapshot: readSessionSnapshot(s.dir)! })
  sessionOf.set($, session)
  const tools = { read: async (p: string) => readInHome(s.home, p), turnsOf: async () => undefined }
  const run = async (inputs: Record<string, string>, fresh = false) => {
    const answer = await runWorkflow(
      $,
      session,
      { workflow: 'w.yaml', inputs, fresh },
      undefined,
      s.home,
      undefined,
      tools,
    )
    return JSON.parse(String((answer as { result: unknown }).result))
  }
  return { session, run }
}

/**
 * What the module's agent.spawn hook does with the invoke tool's own call before its agent runs, which no hook
 * runs here: judges it (traced under the call's id). A call the guard never judged is no answer (invoke-call.ts).
 */
function judge(session: SessionState | undefined, input: AgentInput): void {
  const key = pendingKey(undefined, input.subagent_type ?? '', input.prompt ?? '')
  const waiting = session?.pending.get(key)?.find((p) => p.invocation === undefined && p.denied === undefined)
  if (waiting) waiting.invocation = waiting.id
}

/** The session each test's `$` runs in, once opened (moduleRun): its calls are judged there. */
const sessionOf = new WeakMap<Engine, SessionState>()

/** A `$` on this machine's files and the server's real tools, for session `s`, whose agents answer `agentCall`. */
function engineWith(
  s: ReturnType<typeof hookSession>,
  agentCall: (request: never) => Promise<unknown>,
  judges: () => boolean = () => true,
): Engine {
  const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
  const $ = {
    plugin: { name: 'switchboard', root: '/plugin' },
    session: { id: async () => s.sessionId },
    env: { get: async (key: string) => s.env[key as keyof typeof s.env], set: async () => ({}) },
    clock: { now: async () => Date.now(), sleep: async () => {} },
    fs: LOCAL_FS,
    mcp: {
      connect: async () => ({ isConnected: true as const, server: 'plugin:switchboard:switchboard' }),
      call: async (_server: string, tool: string, args: Record<string, unknown>) => {
        const reply = await callTool(tool, args, environment)
        return { content: [{ type: 'text', text: reply.text }], ...(reply.isError ? { isError: true } : {}) }
      },
    },
    agent: {
      limits: async () => ({ concurrent: 4 }),
      call: async (request: { input?: AgentInput }) => {
        if (judges()) judge(sessionOf.get($), request.input ?? {})
        return agentCall(request as never)
      },
    },
  } as unknown as Engine
  return $
}

/** A `$` on this machine's files, with the server's real tools, and agents that answer `answers` by type. */
function machine(
  name: string,
  answers: Record<string, string>,
  server: (
    tool: string,
    args: Record<string, unknown>,
  ) => Promise<{ text: string; isError?: true } | undefined> = async () => undefined,
) {
  const s = hookSession(name)
  recordSessionProcess(s.data, process.pid, s.sessionId) // this process plays the Claude Code that started the server
  const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
  const made: AgentInput[] = []
  let agents = 0
  /** What a test does as a step's agent runs (its Bash step, say). */
  let onCall: ((target: string) => void) | undefined
  // What the module's agent.report hook does with a step's return (into its slot), which no hook runs here.
  let session: Awaited<ReturnType<typeof openSession>> | undefined
  const slotOf: Record<string, string> = { 'tdd-editor:editor': 'edited' }
  const $ = {
    plugin: { name: 'switchboard', root: '/plugin' },
    session: { id: async () => s.sessionId },
    env: { get: async (key: string) => s.env[key as keyof typeof s.env], set: async () => ({}) },
    clock: { now: async () => Date.now(), sleep: (ms: number) => new Promise((r) => setTimeout(r, ms)) },
    fs: LOCAL_FS,
    mcp: {
      connect: async () => ({ isConnected: true as const, server: 'plugin:switchboard:switchboard' }),
      call: async (_server: string, tool: string, args: Record<string, unknown>) => {
        const reply = (await server(tool, args)) ?? (await callTool(tool, args, environment))
        return { content: [{ type: 'text', text: reply.text }], ...(reply.isError ? { isError: true } : {}) }
      },
    },
    agent: {
      limits: async () => ({ concurrent: 4 }),
      call: async ({ input }: { input: AgentInput }) => {
        made.push(input)
        onCall?.(input.subagent_type ?? '')
        judge(session, input)
        const text = answers[input.subagent_type ?? '']
        const slot = slotOf[input.subagent_type ?? '']
        if (slot && text !== undefined)
          await session!.writeSlot({
            name: slot,
            type: 'text',
            value: text,
            writer: `return:${input.subagent_type}`,
            ts: Date.now(),
          })
        return { result: { agentId: `agent-${++agents}`, status: 'completed', content: [{ type: 'text', text }] } }
      },
    },
  } as unknown as Engine
  const run = async (options: { onCall?: (target: string) => void; workflow?: string } = {}) => {
    onCall = options.onCall
    writeFileSync(join(s.home, 'two.yaml'), options.workflow ?? EDIT_THEN_PICTURE)
    const snapshot = readSessionSnapshot(s.dir)!
    session = await openSession($, s.home, { context: '', dataDir: s.data, snapshot })
    const tools = {
      read: async (path: string) => readInHome(s.home, path),
      turnsOf: async () => undefined,
    }
    const request = { workflow: 'two.yaml', inputs: { text: 'Kites fly.' }, fresh: false }
    const answer = await runWorkflow($, session, request, undefined, s.home, undefined, tools)
    return JSON.parse(String((answer as { result: unknown }).result)) as Record<string, unknown> & {
      receipts?: string
      message?: string
      warnings?: string[]
    }
  }
  return { run, made }
}

describe("the hooks module's workflow run", () => {
  it('makes each call the server hands out, in order, and writes each receipt the server hands back', async () => {
    const { run, made } = machine('module-run-ok', {
      'tdd-editor:editor': 'Kites fly well.',
      'tdd-design:illustrator': '{"svg": "<svg/>", "alt": "A kite"}',
    })
    const answer = await run()
    expect(answer).toMatchObject({
      status: 'ok',
      steps: [
        { id: 'edit', status: 'ok' },
        { id: 'picture', status: 'ok' },
      ],
    })
    expect(made.map((input) => input.subagent_type)).toEqual(['tdd-editor:editor', 'tdd-design:illustrator'])
    expect(readdirSync(answer.receipts!).sort()).toEqual(['edit.json', 'picture.json'])
    expect(JSON.parse(readFileSync(join(answer.receipts!, 'edit.json'), 'utf8'))).toMatchObject({
      value: 'Kites fly well.',
    })
  })

  // `$.fs.write` follows a link (2.1.331, 2.1.332): a receipt written into a link planted in its place would take
  // the step's return wherever the link led.
  it('refuses a run whose receipts folder holds a link, and writes nothing through it', async () => {
    const { run, made } = machine('module-run-link', {
      'tdd-editor:editor': 'Kites fly well.',
      'tdd-design:illustrator': '{"svg": "<svg/>", "alt": "A kite"}',
    })
    const first = await run()
    const victim = join(first.receipts!, '..', 'victim.txt')
    writeFileSync(victim, 'VICTIM')
    rmSync(join(first.receipts!, 'edit.json'))
    symlinkSync(victim, join(first.receipts!, 'edit.json'))
    const calls = made.length
    const second = await run()
    expect(second).toMatchObject({ status: 'invalid' })
    expect(second.message).toContain('edit.json, which is not a plain file (a link or a pipe put there)')
    expect(made).toHaveLength(calls)
    expect(readFileSync(victim, 'utf8')).toBe('VICTIM')
  })

  // And into a hard link's other names, which a listing shows as a plain file; a run's own steps can make one
  // while it runs (found by review). The step runs again, its receipt unwritten, and the run says so.
  it("writes no receipt into a file that is no step's receipt (a hard link, planted before or during the run)", async () => {
    let plant = (): void => {}
    const { run, made } = machine('module-run-hardlink', {
      'tdd-editor:editor': 'Kites fly well.',
      'tdd-design:illustrator': '{"svg": "<svg/>", "alt": "A kite"}',
    })
    const first = await run()
    const folder = first.receipts!
    const victims = ['edit', 'picture'].map((step) => {
      const victim = join(folder, '..', `victim-${step}.txt`)
      writeFileSync(victim, 'VICTIM')
      return victim
    })
    // picture's receipt swapped for a hard link before the run; edit's, gone, put there by the edit step itself.
    rmSync(join(folder, 'picture.json'))
    linkSync(victims[1]!, join(folder, 'picture.json'))
    rmSync(join(folder, 'edit.json'))
    plant = () => linkSync(victims[0]!, join(folder, 'edit.json'))
    const before = made.length
    const second = await run({ onCall: (target) => (target === 'tdd-editor:editor' ? plant() : undefined) })
    expect(second).toMatchObject({ status: 'ok' })
    for (const victim of victims) expect(readFileSync(victim, 'utf8')).toBe('VICTIM')
    expect(made.length - before).toBe(2)
    expect(second.warnings?.join(' ')).toContain("step edit's receipt was not written")
    expect(second.warnings?.join(' ')).toContain("step picture's receipt was not written")
  })

  // Found by review: a step agent that makes its own transcript unreadable (a pipe, past the bound) spent no turns
  // of the budget, in silence.
  it("says where a turns budget could not count a step agent's turns (its transcript unreadable)", async () => {
    const { run } = machine('module-run-turns', {
      'tdd-editor:editor': 'Kites fly well.',
      'tdd-design:illustrator': '{"svg": "<svg/>", "alt": "A kite"}',
    })
    const budgeted = await run({ workflow: `budget: { turns: 5 }\n${EDIT_THEN_PICTURE}` })
    expect(budgeted.warnings?.join(' ')).toContain('the turns of 2 step agents could not be counted')
    const free = await run({ workflow: EDIT_THEN_PICTURE.replace('Kites', 'Kites') })
    expect(free.warnings?.join(' ') ?? '').not.toContain('could not be counted')
  })

  it('answers a run the server stopped deciding as failed, after its call, naming the step whose receipt was lost', async () => {
    const forgetting = async (tool: string, args: Record<string, unknown>) =>
      tool === 'drive_workflow' && args.ended
        ? { text: JSON.stringify({ status: 'invalid', workflow: 'two', problems: ['the server restarted.'] }) }
        : undefined
    const { run, made } = machine('module-run-broken', { 'tdd-editor:editor': 'Kites fly well.' }, forgetting)
    const answer = await run()
    expect(answer).toMatchObject({ status: 'failed', workflow: 'two', problems: ['the server restarted.'] })
    expect(answer.message).toContain('except edit (ok), which ended after')
    expect(made.map((input) => input.subagent_type)).toEqual(['tdd-editor:editor'])
  })
})

// Found by review: a retried command step took attempt 1's Skill call (its helper crashed after making it) as
// attempt 2's, whose helper made none and made up its answer.
describe('a command step retried through a helper agent', () => {
  it("takes only the Skill call this attempt's own helper made", async () => {
    const s = hookSession('helper-retry')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    let session: Awaited<ReturnType<typeof openSession>> | undefined
    let helpers = 0
    const $ = engineWith(s, async () => {
      if (++helpers === 1) {
        // Attempt 1: the helper makes the Skill call (the guard records it, tagged), then crashes.
        const [key, tags] = [...session!.workflowTags.entries()][0]!
        await session!.append(
          {
            e: 'call',
            id: 'toolu_real',
            parent: null,
            caller: 'main',
            callerAgent: 'agent-1',
            target: key.split('\n')[0]!,
            kind: 'skill',
            ts: Date.now(),
            status: 'running',
            workflow: [tags].flat()[0]!, // one tag, or the first of those waiting
          },
          { e: 'end', id: 'toolu_real', status: 'ok', ts: Date.now() },
        )
        session!.workflowTags.delete(key)
        return {
          isError: true,
          text: 'helper crashed',
          result: { agentId: 'agent-1', status: 'failed', content: [] },
        }
      }
      // Attempt 2: no Skill call at all, and an answer made up.
      return { result: { agentId: 'agent-2', status: 'completed', content: [{ type: 'text', text: 'FORGED' }] } }
    })
    writeFileSync(
      join(s.home, 'w.yaml'),
      'inputs: { text: text }\nsteps:\n  - id: seo\n    invoke: { plugin: tdd-editor, command: copy-edit, args: { file: $inputs.text } }\n    on_complete: { inject_into: seo_report }\n    on_error: { retry: 1 }\noutputs: { report: $seo_report }\n',
    )
    session = await openSession($, s.home, { context: '', dataDir: s.data, snapshot: readSessionSnapshot(s.dir)! })
    const tools = { read: async (p: string) => readInHome(s.home, p), turnsOf: async () => undefined }
    const answer = await runWorkflow(
      $,
      session,
      { workflow: 'w.yaml', inputs: { text: 'Kites.' }, fresh: false },
      undefined,
      s.home,
      undefined,
      tools,
    )
    const result = JSON.parse(String((answer as { result: unknown }).result))
    expect(result.status).not.toBe('ok')
    expect(JSON.stringify(result)).not.toContain('FORGED')
    expect(JSON.stringify(result)).toContain('the helper agent did not run tdd-editor:copy-edit')
  })
})

// Found by review: a command step's answer, stored by the run itself, carried a secret its call was given
// into a plain slot that any plugin could read; the guard's rule for a directive never saw it.
describe('a command step that carries a secret', () => {
  it('is refused before its call when its return would be stored, as a directive would be', async () => {
    const s = hookSession('secret-command-step')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    const made: unknown[] = []
    const $ = engineWith(s, async (request) => {
      made.push(request)
      return { result: { agentId: 'agent-1', status: 'completed', content: [{ type: 'text', text: 'SK-LIVE-42' }] } }
    })
    putSlot(s.dir, {
      name: 'API_KEY',
      type: 'text',
      value: 'SK-LIVE-42',
      writer: 'cli',
      secret: true,
      shareWith: ['tdd-editor'],
    })
    writeFileSync(
      join(s.home, 'w.yaml'),
      'steps:\n  - id: leak\n    invoke: { plugin: tdd-editor, command: copy-edit, args: { file: "notes.md $API_KEY" } }\n    on_complete: { inject_into: leaked }\n',
    )
    const session = await openSession($, s.home, {
      context: '',
      dataDir: s.data,
      snapshot: readSessionSnapshot(s.dir)!,
    })
    const tools = { read: async (p: string) => readInHome(s.home, p), turnsOf: async () => undefined }
    const request = { workflow: 'w.yaml', inputs: {}, fresh: false }
    const answer = await runWorkflow($, session, request, undefined, s.home, undefined, tools)
    const result = JSON.parse(String((answer as { result: unknown }).result))
    expect(result.status).not.toBe('ok')
    expect(JSON.stringify(result)).toContain('this call carries the secret $API_KEY')
    expect(made).toEqual([]) // no helper, no Skill call
    expect(getSlot(s.dir, 'leaked')).toBeUndefined()
  })
})

// Found by review: an agent that failed as it ran (the Agent tool's error, with the agent's id) was reported as
// a denial, "do not make this call another way", and a step with retries was never retried.
describe('an agent step whose agent fails as it runs', () => {
  it('is a failure, retried as its step says, not a denial', async () => {
    const s = hookSession('agent-fails')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    let calls = 0
    const $ = engineWith(s, async () =>
      ++calls === 1
        ? {
            isError: true,
            text: 'API Error: 529 overloaded',
            result: { agentId: 'agent-1', status: 'failed', content: [] },
          }
        : { result: { agentId: 'agent-2', status: 'completed', content: [{ type: 'text', text: 'Kites fly well.' }] } },
    )
    const { run } = await moduleRun(
      s,
      $,
      'inputs: { text: text }\nsteps:\n  - id: edit\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.text } }\n    on_error: { retry: 1 }\n',
    )
    const result = await run({ text: 'Kites.' })
    expect(calls).toBe(2)
    expect(result).toMatchObject({ status: 'ok', steps: [{ id: 'edit', status: 'ok' }] })
  })
})

// Found in CI (2.1.331, 2.1.332): the guard failed on a fan-out step's spawn (open mode let it run), and the step
// was ok with its return in no slot; the next step failed on the slot missing, naming no cause.
describe('an agent step the guard never judged', () => {
  it.each([
    ['fails, saying why, with its answer in value', 0],
    ['is retried as its step says', 1],
  ])('%s', async (_, retries) => {
    const s = hookSession(`unjudged-${retries}`)
    recordSessionProcess(s.data, process.pid, s.sessionId)
    let calls = 0
    const $ = engineWith(
      s,
      async () => ({
        result: {
          agentId: `agent-${calls}`,
          status: 'completed',
          content: [{ type: 'text', text: 'Kites fly well.' }],
        },
      }),
      () => ++calls > 1,
    )
    const { run } = await moduleRun(
      s,
      $,
      `inputs: { text: text }\nsteps:\n  - id: edit\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.text } }\n    on_complete: { inject_into: edited }\n${retries ? `    on_error: { retry: ${retries} }\n` : ''}outputs: { article: $edited }\n`,
    )
    const result = await run({ text: 'Kites.' })
    expect(calls).toBe(retries + 1)
    if (retries === 1) {
      expect(result).toMatchObject({ status: 'ok', outputs: { article: 'Kites fly well.' } })
      return
    }
    expect(result).toMatchObject({ status: 'failed', steps: [{ id: 'edit', status: 'failed' }] })
    expect(result.steps[0].message).toMatch(/guard did not judge this call .*neither checked nor stored/)
  })
})

// Found by review: a helper that made no Skill call left its step's tag waiting, and the next run's same call
// took it, so that run's step failed ("the helper agent did not make the Skill call") though its skill ran.
describe('a helper agent that makes no Skill call', () => {
  it("fails its own step only: the next run's helper call is that run's", async () => {
    const s = hookSession('helper-no-call')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    let session: Awaited<ReturnType<typeof openSession>> | undefined
    let helpers = 0
    const $ = engineWith(s, async () => {
      helpers++
      if (helpers === 1)
        return { result: { agentId: 'helper-1', status: 'completed', content: [{ type: 'text', text: 'made up' }] } }
      // Later helpers make the call, as the guard records it: tagged with whatever tag waits for it.
      const key = [...session!.workflowTags.keys()][0]!
      const { workflow } = workflowTagOf(session!, key.split('\n')[0]!, key.split('\n').slice(1).join('\n'))
      const id = `toolu_${helpers}`
      await session!.append(
        {
          ...{ e: 'call' as const, id, parent: null, caller: 'main', callerAgent: `helper-${helpers}` },
          ...{ target: key.split('\n')[0]!, kind: 'skill' as const, ts: Date.now(), status: 'running' as const },
          ...(workflow ? { workflow } : {}),
        },
        { e: 'end', id, status: 'ok', ts: Date.now() },
      )
      return {
        result: { agentId: `helper-${helpers}`, status: 'completed', content: [{ type: 'text', text: 'Fixed.' }] },
      }
    })
    const opened = await moduleRun(
      s,
      $,
      'inputs: { text: text }\nsteps:\n  - id: fix\n    invoke: { plugin: tdd-editor, command: copy-edit, args: { file: $inputs.text } }\n',
    )
    session = opened.session
    expect(await opened.run({ text: 'README.md' }, true)).toMatchObject({ status: 'failed' })
    expect(session.workflowTags.size).toBe(0)
    expect(await opened.run({ text: 'README.md' }, true)).toMatchObject({
      status: 'ok',
      steps: [{ id: 'fix', status: 'ok' }],
    })
  })
})

// Found by review: a step's arguments went through the key=@file reading of plan, so an input whose text begins
// with `@` ("@alice, ...", or a file's text) failed the step, telling the user to do what they had done.
describe('a workflow argument that begins with @', () => {
  it('is text, passed as it is; an input that begins with @ is given as @@', async () => {
    const s = hookSession('at-text')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    const prompts: string[] = []
    const $ = engineWith(s, async (request: { input?: { prompt?: string } }) => {
      prompts.push(String(request.input?.prompt))
      return { result: { agentId: 'agent-1', status: 'completed', content: [{ type: 'text', text: 'Done.' }] } }
    })
    writeFileSync(join(s.home, 'note.md'), '@bob: the kites are late.')
    const { run } = await moduleRun(
      s,
      $,
      'inputs: { text: text }\nsteps:\n  - id: edit\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.text } }\n',
    )
    // A file whose text begins with @: the step's argument is that text, not another file to read.
    expect(await run({ text: '@note.md' }, true)).toMatchObject({ status: 'ok' })
    expect(prompts[0]).toContain('draft: @bob: the kites are late.')
    expect(await run({ text: '@@alice, please look at the kites.' }, true)).toMatchObject({ status: 'ok' })
    expect(prompts[1]).toContain('draft: @alice, please look at the kites.')
  })
})

// Found by review: only a link at a receipt's own file was refused; one in the place of the receipts folder (or a
// folder above it) had the receipts written where it led, and forged ones read from there.
describe("a run's receipts folder in the hooks module", () => {
  it('is refused where it is a link, and nothing is written through it', async () => {
    const { run, made } = machine('module-run-folder-link', {
      'tdd-editor:editor': 'Kites fly well.',
      'tdd-design:illustrator': '{"svg": "<svg/>", "alt": "A kite"}',
    })
    const first = await run()
    const folder = first.receipts!
    const victim = join(folder, '..', '..', '..', 'victim-dir')
    mkdirSync(victim, { recursive: true })
    rmSync(folder, { recursive: true })
    symlinkSync(victim, folder)
    const calls = made.length
    const second = await run()
    expect(second).toMatchObject({ status: 'invalid' })
    expect(second.message).toContain(
      `${folder} is a link, and Switchboard keeps a workflow's receipts only in folders of its own`,
    )
    expect(made).toHaveLength(calls)
    expect(readdirSync(victim)).toEqual([])
  })

  it('sends the server only files a receipt can be, and at most 16 MiB of them', async () => {
    let sent = 0
    const { run, made } = machine(
      'module-run-flood',
      { 'tdd-editor:editor': 'Kites fly well.', 'tdd-design:illustrator': '{"svg": "<svg/>", "alt": "A kite"}' },
      async (tool, args) => {
        if (tool === 'drive_workflow' && args.start) sent = JSON.stringify(args).length
        return undefined
      },
    )
    const first = await run()
    const filler = 'x'.repeat(999_999)
    for (let i = 0; i < 40; i++) writeFileSync(join(first.receipts!, `junk${i}.json`), filler)
    writeFileSync(join(first.receipts!, 'huge.json'), 'x'.repeat(3_000_001))
    const calls = made.length
    expect(await run()).toMatchObject({ status: 'ok' })
    expect(made).toHaveLength(calls) // both steps' receipts were still read: nothing ran again
    expect(sent).toBeGreaterThan(15_000_000)
    expect(sent).toBeLessThan(17_000_000)
  })
})
