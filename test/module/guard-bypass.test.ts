// Ways past the module's guard found by an attacker's review, each driven through the real handlers with a
// `$` over an in-memory data folder: a forged line in the settings hooks' log, a failed write of the module's
// own log, a session with no snapshot, and a session folder the module cannot write, in strict mode.
import { describe, expect, it } from 'vitest'
import { dispatch, examplesSnapshot, loadHandlers, memoryEngine } from '../helpers/module-handlers.ts'

const DATA = '/data'
const SNAPSHOT = examplesSnapshot()
let sessions = 0

/** A session the SessionStart hook prepared (snapshot pointer written), the handlers loaded, the state fresh. */
async function session(
  options: {
    policy?: object
    snapshot?: boolean
    refuseWrite?: (path: string) => boolean
    dangling?: string[]
    agents?: unknown[]
    /** The folder the session runs in (the project); /work unless given. */
    cwd?: string
    /** Claude Code's count of main turns, changed by the test as turns start. */
    turns?: { now: number }
  } = {},
) {
  const id = `bypass-${++sessions}`
  const files = new Map<string, string>()
  if (options.snapshot !== false) {
    files.set(`${DATA}/registry-examples.json`, SNAPSHOT)
    files.set(`${DATA}/sessions/${id}/registry-path`, `${DATA}/registry-examples.json\n`)
  }
  if (options.policy) files.set('/home/u/.claude/switchboard/policy.json', JSON.stringify(options.policy))
  const $ = memoryEngine(files, { SWITCHBOARD_DATA_DIR: DATA, HOME: '/home/u' }, { sessionId: id, ...options })
  const handlers = loadHandlers()
  // A new session id: the module drops the state of the one before.
  await dispatch(
    handlers.get('classic.SessionStart')!,
    $,
    { session_id: id, cwd: options.cwd ?? '/work', source: 'startup' },
    {},
  )
  const spawn = (id: string, type: string, parent?: string) =>
    dispatch(
      handlers.get('agent.spawn')!,
      $,
      {
        tool_use_id: id,
        prompt: 'Do it.',
        description: 'd',
        subagentType: type,
        provider: { plugin: 'x', tier: 'user' },
        background: false,
        fork: false,
        ...(parent ? { parentAgentId: parent } : {}),
      },
      { model: 'm', agentId: `agent-${id}` },
    )
  const skill = (id: string, name: string) =>
    dispatch(
      handlers.get('tool.call{"tool":"Skill"}')!,
      $,
      { tool: 'Skill', tool_use_id: id, skill: name },
      { result: 'ran' },
    )
  const command = (name: string) =>
    dispatch(
      handlers.get('command.run')!,
      $,
      { command: name, args: '', origin: { kind: 'composer' } },
      { text: 'ran' },
    )
  /** A main-conversation row another plugin's code caused (its prompt, its command), as Claude Code keeps it. */
  const pluginRow = (plugin: string, door = 'prompt') =>
    dispatch(
      handlers.get('session.append{"door":["prompt","command","delivery"],"origin":{"kind":"plugin"}}')!,
      $,
      { door, origin: { kind: 'plugin', name: plugin }, uuid: 'row-1', message: { type: 'user', content: [] } },
      { message: { type: 'user', content: [] }, uuid: 'row-1' },
    )
  const send = (to: string, origin: object = { kind: 'agent' }) =>
    dispatch(handlers.get('session.send')!, $, { to, message: 'Go on.', origin }, { isDelivered: true })
  return { id, files, spawn, skill, command, send, pluginRow, dir: `${DATA}/sessions/${id}` }
}

/** Refused: never started, with Switchboard's reason (a spawn's or Skill call's `deny`, a command's text). */
const denied = (outcome: { result: unknown; nextCalls: number }) => {
  const { deny, text } = outcome.result as { deny?: unknown; text?: unknown }
  return outcome.nextCalls === 0 && /^Switchboard/.test(String(deny ?? text))
}

describe("the module's guard, attacked", () => {
  // Nothing writes calls.jsonl while the module runs a session; a model's Bash step can.
  it("keeps a cycle a forged line in the settings hooks' log re-parents away", async () => {
    const s = await session()
    expect(denied(await s.spawn('tA', 'tdd-editor:editor'))).toBe(false)
    expect(denied(await s.spawn('tB', 'tdd-design:illustrator', 'agent-tA'))).toBe(false)
    expect(denied(await s.spawn('tC', 'tdd-editor:editor', 'agent-tB'))).toBe(true) // a cycle
    const forged = {
      e: 'call',
      id: 'tB',
      parent: null,
      caller: 'main',
      callerAgent: null,
      target: 'x',
      kind: 'agent',
      ts: 9e15,
      status: 'running',
    }
    s.files.set(`${s.dir}/calls.jsonl`, `\n${JSON.stringify(forged)}\n`)
    const again = await s.spawn('tD', 'tdd-editor:editor', 'agent-tB')
    expect(denied(again)).toBe(true)
    expect((again.result as { deny: string }).deny).toMatch(/cycle/)
  })

  it('denies what it decided to deny when the record cannot be written, and records again once it can', async () => {
    let refuse = false
    const s = await session({
      policy: { rules: [{ caller: 'main', target: 'tdd-design:illustrator', action: 'deny' }] },
      refuseWrite: (path) => refuse && path.endsWith('calls-module.jsonl'),
    })
    expect(denied(await s.spawn('t1', 'tdd-design:illustrator'))).toBe(true)
    refuse = true // a full disk for a moment, or the model's `chmod 400 calls-module.jsonl`
    expect(denied(await s.spawn('t2', 'tdd-design:illustrator'))).toBe(true)
    refuse = false
    expect(denied(await s.spawn('t3', 'tdd-design:illustrator'))).toBe(true)
    expect(denied(await s.spawn('t4', 'tdd-editor:editor'))).toBe(false)
    expect(s.files.get(`${s.dir}/calls-module.jsonl`)).toContain('"id":"t4"') // the log is written again
  })

  // Found by review: a command the person typed right after a plugin's turn was judged as that plugin's code's,
  // as Claude Code counts the command's turn only after the command is decided.
  it("judges a plugin's turn as its code's, and a command the person types or the next turn as the person's", async () => {
    const turns = { now: 2 }
    const rules = [{ caller: 'follow-up:*', target: 'tdd-editor:*', action: 'deny' }]
    const s = await session({ policy: { rules }, turns })
    await s.pluginRow('follow-up')
    expect(denied(await s.spawn('t1', 'tdd-editor:editor'))).toBe(true)
    expect(denied(await s.command('tdd-editor:copy-edit'))).toBe(false) // typed while the count still says 2
    turns.now = 3
    expect(denied(await s.spawn('t2', 'tdd-editor:editor'))).toBe(false)
    await s.pluginRow('follow-up', 'command')
    expect(denied(await s.skill('t3', 'tdd-editor:copy-edit'))).toBe(true)
  })

  // Found by review: another plugin's code (or agent) could tell a built-in agent the person started what to
  // do with SendMessage, and that agent's calls passed as the person's.
  it("judges a built-in agent of the person's that another plugin sent work to as that plugin's", async () => {
    const rules = [{ caller: 'follow-up:*', target: 'tdd-editor:*', action: 'deny' }]
    const helper = [{ id: 'agent-t1', type: 'general-purpose', name: 'helper', status: 'running' }]
    const s = await session({ policy: { rules }, agents: helper })
    expect(denied(await s.spawn('t1', 'general-purpose'))).toBe(false)
    await s.send('helper', { kind: 'model' }) // the person's own conversation: nothing changes
    expect(denied(await s.spawn('t2', 'tdd-editor:editor', 'agent-t1'))).toBe(false)
    expect(await s.send('helper', { kind: 'plugin', name: 'follow-up' })).toMatchObject({
      result: { isDelivered: true },
    })
    expect(denied(await s.spawn('t3', 'tdd-editor:editor', 'agent-t1'))).toBe(true)
  })

  // Found by review: in the home folder the user's policy file was read twice, the second time as the project's,
  // whose allow rules may only tighten, so every cross-plugin call was refused.
  it('reads the policy once in a session run in the home folder, so its allow rules hold', async () => {
    const rules = [{ caller: 'main', target: 'tdd-design:*', action: 'allow' }]
    const home = await session({ policy: { rules }, cwd: '/home/u' })
    expect(denied(await home.spawn('h1', 'tdd-design:illustrator'))).toBe(false)
  })

  it('refuses skills and commands it cannot check in strict mode, or under a policy it cannot read', async () => {
    const strict = await session({ policy: { strict: true }, snapshot: false })
    expect(denied(await strict.spawn('t1', 'tdd-design:illustrator'))).toBe(true)
    expect(denied(await strict.skill('t2', 'tdd-editor:copy-edit'))).toBe(true)
    expect(denied(await strict.command('tdd-editor:copy-edit'))).toBe(true)
    expect(denied(await strict.skill('t3', 'commit'))).toBe(false) // not a plugin's: nothing to check
    const running = [{ id: 'a-editor', type: 'tdd-editor:editor', name: 'editor', status: 'running' }]
    const messaging = await session({ policy: { strict: true }, snapshot: false, agents: running })
    const sent = await messaging.send('editor')
    expect(sent).toMatchObject({
      nextCalls: 0,
      result: { isDelivered: false, reason: expect.stringMatching(/^Switchboard has no usable registry snapshot/) },
    })
    const open = await session({ snapshot: false })
    expect(denied(await open.skill('t4', 'tdd-editor:copy-edit'))).toBe(false) // unchecked, as documented
    const broken = await session({ snapshot: false })
    broken.files.set('/home/u/.claude/switchboard/policy.json', '{not json')
    expect(denied(await broken.skill('t5', 'tdd-editor:copy-edit'))).toBe(true)
  })

  // A state opened again (a session resumed in this process) has lost whom such an agent works for.
  it("judges a built-in agent another plugin's code started as that plugin's, when it did not see the spawn", async () => {
    const rows = [{ id: 'gp-1', type: 'general-purpose', status: 'running', spawnedBy: 'other-plugin' }]
    const rule = { caller: 'other-plugin', target: 'tdd-design:illustrator', action: 'deny' }
    const s = await session({ policy: { rules: [rule] }, agents: rows })
    const from = await s.spawn('t1', 'tdd-design:illustrator', 'gp-1')
    expect(denied(from)).toBe(true) // not the person's call, which the main thread's rights would allow
    expect((from.result as { deny: string }).deny).toContain('other-plugin:(hooks module)')
  })

  // Found by probe: `$.fs.exists` says false for a link that leads nowhere (2.1.331, 2.1.332), so a user policy
  // kept as a link to a file not there (a dotfiles folder not mounted) read as no policy, where the Node side
  // fails closed: the person's deny rules and strict mode were gone without a word.
  it('refuses every cross-plugin call while the user policy is a link that leads nowhere', async () => {
    const s = await session({ dangling: ['/home/u/.claude/switchboard/policy.json'] })
    const refused = await s.spawn('t1', 'tdd-editor:editor')
    expect(denied(refused)).toBe(true)
    expect((refused.result as { deny: string }).deny).toMatch(/policy\.json: cannot be read/)
    expect(denied(await session().then((open) => open.spawn('t1', 'tdd-editor:editor')))).toBe(false)
  })

  it("keeps a policy file's strict when the session folder cannot be written", async () => {
    const s = await session({
      policy: { strict: true, rules: [{ caller: 'main', target: 'tdd-design:illustrator', action: 'deny' }] },
      refuseWrite: (path) => path.startsWith(`${DATA}/sessions/`),
    })
    expect(denied(await s.spawn('t1', 'tdd-design:illustrator'))).toBe(true)
  })

  // Found by review: both let a refused call run outside strict mode, as a guard failure.
  it('refuses what its rules refuse when the session folder cannot be written, in open mode too', async () => {
    const s = await session({
      policy: { rules: [{ caller: 'main', target: 'tdd-design:illustrator', action: 'deny' }] },
      refuseWrite: (path) => path.startsWith(`${DATA}/sessions/`), // the model's `chmod a-w sessions/<id>`
    })
    expect(denied(await s.spawn('t1', 'tdd-design:illustrator'))).toBe(true)
    expect(denied(await s.skill('t2', 'tdd-design:palette'))).toBe(true) // private to its plugin
  })

  it('refuses a message its rules refuse when its log cannot be written, in open mode too', async () => {
    const running = [{ id: 'a-editor', type: 'tdd-editor:editor', name: 'editor', status: 'running' }]
    const s = await session({
      policy: { rules: [{ caller: 'main', target: 'tdd-editor:editor', action: 'deny' }] },
      agents: running,
      refuseWrite: (path) => path.endsWith('calls-module.jsonl'),
    })
    const sent = await s.send('editor')
    expect(sent).toMatchObject({ nextCalls: 0, result: { isDelivered: false } })
  })
})
