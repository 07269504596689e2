// Many hook processes of one session run at once. None may lose or corrupt another's record, and a
// writer killed with SIGKILL mid-write must leave a log the next hook reads correctly.
import { spawn } from 'node:child_process'
import { appendFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appendRecord, CALL_LOG, foldInvocations, readRecords, sessionDir } from '../../src/trace/index.ts'
import { hookServer, hookSession, runHookAsync, runHookSync, runHooksInOneServer } from '../helpers/hooks.ts'
import { testdir } from '../helpers/testdir.ts'

function session() {
  const { home, ...rest } = hookSession('stress-session')
  return { ...rest, data: home }
}

const pre = (sessionId: string, cwd: string, id: string) => ({
  session_id: sessionId,
  cwd,
  hook_event_name: 'PreToolUse',
  tool_name: 'Agent',
  tool_use_id: id,
  tool_input: { description: 'd', prompt: 'p', subagent_type: 'tdd-editor:editor' },
})
const post = (sessionId: string, cwd: string, id: string) => ({
  session_id: sessionId,
  cwd,
  hook_event_name: 'PostToolUse',
  tool_name: 'Agent',
  tool_use_id: id,
  tool_input: { subagent_type: 'tdd-editor:editor' },
  tool_response: { status: 'completed', agentId: `agent-${id}`, totalDurationMs: 5, totalTokens: 7 },
})

describe("one MCP server answering a session's hooks under concurrency", () => {
  // What Claude Code does: every per-call hook of a session is a call to its one server, many at once
  // for parallel agents. They must not deny each other as busy, nor lose or corrupt a record.
  it('60 PreToolUse then 60 PostToolUse calls at once lose no record and deny none as busy', async () => {
    const { data, env, sessionId, dir } = session()
    const ids = Array.from({ length: 60 }, (_, i) => `toolu_one_${i}`)
    const results = await runHooksInOneServer(
      ids.map((id) => pre(sessionId, data, id)),
      env,
    )
    expect(results.filter((r) => r.code !== 0 || r.stdout !== '')).toEqual([])
    const posts = await runHooksInOneServer(
      ids.map((id) => post(sessionId, data, id)),
      env,
    )
    expect(posts.filter((r) => r.code !== 0 || r.stdout !== '')).toEqual([])
    const invocations = foldInvocations(readRecords(dir))
    expect([...invocations.keys()].sort()).toEqual([...ids].sort())
    expect([...invocations.values()].every((i) => i.status === 'ok' && i.tokens === 7)).toBe(true)
  })
})

describe("the MCP server's hooks while a model's tool call works", () => {
  // Found by review: the model's tools and settings mode's hooks shared one thread, so a model's slow
  // call (here drive_workflow on a 1,200-step chain, about a second of checking) held every hook of the
  // session behind it, past the hooks' timeout: calls made meanwhile ran unchecked. The tools now run on
  // a thread of their own (mcp/tools-thread.ts). Order, not time: the hook asked second is answered first.
  it("answers a hook asked after a slow tool call before that call's answer", async () => {
    const { data, env, sessionId } = session()
    const server = hookServer(env)
    try {
      // Both bundles loaded first, so that only the work itself can hold a thread.
      expect((await server.ask(pre(sessionId, data, 'toolu_warm'))).code).toBe(0)
      expect(await server.tool('context_list', {})).toBeTypeOf('string')
      const reads = Array.from({ length: 16 }, () => '$a').join(' ')
      const lines = [
        'steps:',
        '  - {id: s0, invoke: {plugin: tdd-editor, agent: editor, args: {draft: x}}, on_complete: {inject_into: a}}',
      ]
      for (let i = 1; i < 1200; i++)
        lines.push(
          `  - {id: s${i}, when: {slot: ${i === 1 ? 'a' : `v${i - 1}`}, exists: true}, invoke: {plugin: tdd-editor, agent: editor, args: {draft: "${reads}"}}, on_complete: {inject_into: v${i}}}`,
        )
      const answered: string[] = []
      const slow = server
        .tool('drive_workflow', {
          start: {
            source: { text: lines.join('\n'), file: 'chain.yaml' },
            inputs: {},
            receipts: {},
            fresh: true,
            caller: { type: null, invocation: null, agent: null },
          },
        })
        .then((text) => answered.push(`tool: ${text.slice(0, 60)}`))
      const hook = server.ask(pre(sessionId, data, 'toolu_during')).then((r) => answered.push(`hook: ${r.code}`))
      await Promise.all([slow, hook])
      expect(answered[0]).toBe('hook: 0')
      expect(answered[1]).toMatch(/^tool: /)
    } finally {
      server.stop()
    }
  })
})

describe('PostToolUseFailure through the MCP server', () => {
  it("ends the call failed with Claude Code's error text as it came, even text that reads as JSON", async () => {
    const { data, env, sessionId, dir } = session()
    const errors = ['Agent failed: the model refused', '{"looks": "like JSON"}', 'null']
    const ids = errors.map((_, i) => `toolu_fail_${i}`)
    const failure = (id: string, error: string) => ({
      ...post(sessionId, data, id),
      hook_event_name: 'PostToolUseFailure',
      tool_response: undefined,
      error,
    })
    await runHooksInOneServer(
      ids.map((id) => pre(sessionId, data, id)),
      env,
    )
    const results = await runHooksInOneServer(
      ids.map((id, i) => failure(id, errors[i]!)),
      env,
    )
    expect(results.filter((r) => r.code !== 0)).toEqual([])
    const invocations = foldInvocations(readRecords(dir))
    expect(ids.map((id) => [invocations.get(id)?.status, invocations.get(id)?.reason])).toEqual(
      errors.map((error) => ['failed', error]),
    )
  })
})

describe('hook processes under concurrency', () => {
  it('60 concurrent PreToolUse and 60 PostToolUse processes lose no record', async () => {
    const { data, env, sessionId, dir } = session()
    const ids = Array.from({ length: 60 }, (_, i) => `toolu_stress_${i}`)
    const results = await Promise.all(ids.map((id) => runHookAsync('pre-tool-use', pre(sessionId, data, id), env)))
    expect(results.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([])
    // A hook that could not get the session lock within its time denies its call as busy and
    // records nothing (session-lock.ts); on a starved machine some do. Every other call is recorded.
    const checked = ids.filter((_, i) => !results[i]!.stdout.includes('Switchboard: busy:'))
    const posts = await Promise.all(checked.map((id) => runHookAsync('post-tool-use', post(sessionId, data, id), env)))
    expect(posts.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([])
    const records = readRecords(dir)
    expect(
      records
        .filter((r) => r.e === 'call')
        .map((r) => (r as { id: string }).id)
        .sort(),
    ).toEqual([...checked].sort())
    expect(records.filter((r) => r.e === 'end')).toHaveLength(checked.length)
    expect(checked.length).toBeGreaterThan(0)
    const invocations = foldInvocations(records)
    expect([...invocations.values()].every((i) => i.status === 'ok' && i.tokens === 7)).toBe(true)
    // Every line of the log is a whole record: no interleaving.
    const lines = readFileSync(join(dir, CALL_LOG), 'utf8').split('\n').filter(Boolean)
    expect(lines.every((line) => JSON.parse(line))).toBeTruthy()
    expect(lines).toHaveLength(records.length)
    // Traces hold prompts and results: readable by the user only.
    expect(statSync(join(dir, CALL_LOG)).mode & 0o777).toBe(0o600)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
  })

  it('a budget holds under 30 concurrent calls from one agent', async () => {
    const { data, env, sessionId } = session()
    // A root call from the main thread, then 30 parallel calls from the agent running it.
    expect(runHookSync('pre-tool-use', pre(sessionId, data, 'toolu_root'), env).code).toBe(0)
    const dir = sessionDir(data, sessionId)
    appendRecord(dir, { e: 'link', id: 'toolu_root', agent: 'agent-root', ts: Date.now(), how: 'post-tool-use' })
    const fanOut = Array.from({ length: 30 }, (_, i) => ({
      ...pre(sessionId, data, `toolu_fan_${i}`),
      agent_id: 'agent-root',
      agent_type: 'tdd-editor:editor',
      tool_input: { description: 'd', prompt: 'p', subagent_type: 'tdd-design:illustrator' },
    }))
    const results = await Promise.all(fanOut.map((input) => runHookAsync('pre-tool-use', input, env)))
    const denied = results.filter((r) => r.stdout.includes('"permissionDecision":"deny"'))
    const busy = denied.filter((r) => r.stdout.includes('Switchboard: busy:'))
    // The default budget is 25 calls per chain: the root plus 24 allowed, the other 6 denied; a
    // call denied as busy (no lock in time, on a starved machine) is neither allowed nor counted.
    expect(results.length - denied.length).toBe(Math.min(24, 30 - busy.length))
    for (const result of denied.filter((r) => !busy.includes(r)))
      expect(result.stdout).toContain('budget: the chain started by tdd-editor:editor has made 25 calls')
  })

  it('a writer killed with SIGKILL mid-stream leaves a log the next hook reads', async () => {
    const { data, env, sessionId, dir } = session()
    appendRecord(dir, { e: 'start', agent: 'x', type: 'y', ts: 1 })
    // A process that appends large records as fast as it can, killed at a random moment.
    const writer = spawn(process.execPath, [
      '-e',
      `
      const fs = require('fs'); const file = ${JSON.stringify(join(dir, CALL_LOG))}
      // Up to 3.5 MB (a log past 4 MiB is refused as no session's), then it waits to be killed.
      for (let i = 0; fs.statSync(file).size < 3.5e6; i++) fs.appendFileSync(file, '\\n' + JSON.stringify({ e: 'start', agent: 'w' + i, type: 'x'.repeat(20000), ts: i }))
      setInterval(() => {}, 1000)
    `,
    ])
    // Killed once it writes (its start-up can take seconds on a loaded machine), at a random moment.
    const size = statSync(join(dir, CALL_LOG)).size
    while (statSync(join(dir, CALL_LOG)).size === size) await new Promise((resolve) => setTimeout(resolve, 10))
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 150))
    writer.kill('SIGKILL')
    await new Promise((resolve) => writer.on('close', resolve))
    // And a torn record, as if a write had been cut: no newline at its end.
    appendFileSync(join(dir, CALL_LOG), '\n{"e":"call","id":"torn","par')
    const before = readRecords(dir).length
    expect(before).toBeGreaterThan(1)
    const next = runHookSync('pre-tool-use', pre(sessionId, data, 'toolu_after_kill'), env)
    expect(next.code).toBe(0)
    const records = readRecords(dir)
    expect(records).toHaveLength(before + 1)
    expect(records.at(-1)).toMatchObject({ e: 'call', id: 'toolu_after_kill', status: 'running' })
  })
})

describe('malformed hook input', () => {
  it('session-start: one stderr line and the documented fail mode', () => {
    for (const input of ['not json', '{"session_id": 42}', '']) {
      const result = runHookSync('session-start', input, { HOME: testdir() })
      expect(result.code).toBe(1) // fail open
      expect(result.stdout).toBe('')
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
      expect(result.stderr).toMatch(/^switchboard session-start: /)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
  })

  // The per-call hooks' input is what Claude Code fills into the companion's templates: an event this tool
  // does not answer, or a field left empty (absent) that the hook needs.
  it.each(['pre-tool-use', 'post-tool-use', 'subagent'])(
    '%s: one error line, failing open, never a stack trace',
    (hook) => {
      const event = { 'pre-tool-use': 'PreToolUse', 'post-tool-use': 'PostToolUse', subagent: 'SubagentStop' }[hook]!
      for (const input of ['Notification', '__proto__', { hook_event_name: event, cwd: '/' }]) {
        const result = runHookSync(hook, input, { HOME: testdir() })
        expect(result.code).toBe(1) // fail open: an error result
        expect(result.stdout).toBe('')
        expect(result.stderr.trim().split('\n')).toHaveLength(1)
        expect(result.stderr).toMatch(
          typeof input === 'string'
            ? /^switchboard hook: no hook for the event/
            : new RegExp(`^switchboard ${hook}: unexpected hook input`),
        )
        expect(result.stderr).not.toMatch(/\n\s+at /)
      }
    },
  )

  it('pre-tool-use fails closed (a deny) in strict mode', () => {
    const result = runHookSync(
      'pre-tool-use',
      { hook_event_name: 'PreToolUse', cwd: '/' },
      { HOME: testdir(), SWITCHBOARD_STRICT: '1' },
    )
    const output = JSON.parse(result.stdout).hookSpecificOutput
    expect(output.permissionDecision).toBe('deny')
    expect(output.permissionDecisionReason).toMatch(/^switchboard pre-tool-use: unexpected hook input/)
  })
})

// The server answers a session's calls in one process. A lock held by another process (the CLI, SessionStart)
// made the first call wait by blocking that process, and a call that came meanwhile was read only after:
// timed from then, it outlived Claude Code's 10 s hook timeout, which lets the call run unchecked (found by review).
describe('a session lock held by another process, with calls arriving at the server one after another', () => {
  it("times each call's wait from its own arrival, and reads the calls as they come", async () => {
    const { env, home, sessionId, dir } = hookSession('held-lock')
    mkdirSync(join(dir, 'lock'), { recursive: true })
    writeFileSync(join(dir, 'lock', `${process.pid}-abc-${Date.now()}`), '') // a live owner, fresh
    const server = hookServer(env)
    try {
      const answeredAt = (answer: Promise<{ stdout: string }>) =>
        answer.then((result) => ({ result, at: performance.now() }))
      const first = answeredAt(server.ask(pre(sessionId, home, 'toolu_first')))
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      const second = await answeredAt(server.ask(pre(sessionId, home, 'toolu_second')))
      const firstDone = await first
      for (const { result } of [firstDone, second])
        expect(JSON.parse(result.stdout).hookSpecificOutput).toMatchObject({
          permissionDecision: 'deny',
          permissionDecisionReason: expect.stringMatching(
            /^Switchboard: busy: another call of this session \(pid \d+\) held its lock/,
          ),
        })
      // About a second apart, as they came; waiting in turn put a whole wait (8 s) between them.
      expect(second.at - firstDone.at).toBeLessThan(4_000)
      expect(readRecords(dir)).toEqual([])
    } finally {
      server.stop()
    }
  })
})
