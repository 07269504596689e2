// The hooks in process: each hook's definition answered with its I/O as values (answerHook: the stdin
// text and the environment in, stdout, stderr and the exit code out), as its bundled process would
// answer Claude Code. Fast, and the environment is a parameter: two sessions with two data folders run
// side by side in one process. The bundled processes keep their own tests (concurrency, code cache).
import { appendFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { postToolUseHook } from '../../src/hooks/post-tool-use.ts'
import { preToolUseHook } from '../../src/hooks/pre-tool-use.ts'
import { answerHook } from '../../src/hooks/run-hook.ts'
import type { HookEnv } from '../../src/hooks/run-hook.ts'
import { sessionStartHook } from '../../src/hooks/session-start.ts'
import { subagentHook } from '../../src/hooks/subagent.ts'
import { CALL_LOG, readRecords, sessionDir } from '../../src/trace/index.ts'
import { REPO } from '../helpers/cli.ts'
import { testdir } from '../helpers/testdir.ts'

const answer = <I>(hook: Parameters<typeof answerHook<I>>[0], input: unknown, env: HookEnv) =>
  answerHook(hook, typeof input === 'string' ? input : JSON.stringify(input), env)

/** A session started in process: its environment (own data folder and HOME) and ids. */
async function session(id: string) {
  const home = testdir()
  const env: HookEnv = {
    HOME: join(home, 'home'),
    SWITCHBOARD_DATA_DIR: join(home, 'data'),
    SWITCHBOARD_PLUGIN_DIRS: ['tdd-editor', 'tdd-design'].map((p) => join(REPO, 'examples', p)).join(':'),
  }
  const started = await answer(
    sessionStartHook,
    { session_id: id, cwd: home, hook_event_name: 'SessionStart', source: 'startup' },
    env,
  )
  expect(started).toMatchObject({ exitCode: 0, stderr: '' })
  expect(started.stdout).toContain('Switchboard runtime: settings hooks.')
  expect(started.stdout).toContain('3 components of 2 plugins can be called across plugins')
  const call = (toolUseId: string, target: string, extra: Record<string, unknown> = {}) => ({
    session_id: id,
    cwd: home,
    hook_event_name: 'PreToolUse',
    tool_name: 'Agent',
    tool_use_id: toolUseId,
    tool_input: { description: 'd', prompt: 'Draw a kite.', subagent_type: target },
    ...extra,
  })
  return { id, home, env, call, dir: sessionDir(join(home, 'data'), id) }
}

describe('the hooks, answered in process', () => {
  it('guard, capture and tell a caller in one session, and keep two sessions apart by their environment', async () => {
    const one = await session('in-process-1')
    const two = await session('in-process-2')

    const denied = await answer(preToolUseHook, one.call('toolu_1', 'tdd-design:nobody'), one.env)
    expect(denied.exitCode).toBe(0)
    expect(JSON.parse(denied.stdout).hookSpecificOutput.permissionDecision).toBe('deny')

    // The editor calls the illustrator; its answer breaks the illustrator's output contract.
    const fromEditor = { agent_id: 'a-editor', agent_type: 'tdd-editor:editor' }
    expect(await answer(preToolUseHook, one.call('toolu_2', 'tdd-design:illustrator', fromEditor), one.env)).toEqual({
      stdout: '',
      stderr: '',
      exitCode: 0,
    })
    const stop = {
      session_id: one.id,
      cwd: one.home,
      hook_event_name: 'SubagentStop',
      agent_id: 'a-illustrator',
      agent_type: 'tdd-design:illustrator',
      last_assistant_message: '{"svg": 42}',
    }
    // Claude Code 2.1.197 (from the environment it gives hooks): a foreground agent; its caller is told.
    const env197 = { ...one.env, AI_AGENT: 'claude-code_2-1-197_agent' }
    expect((await answer(subagentHook, stop, env197)).stdout).toBe('')
    const post = {
      ...one.call('toolu_2', 'tdd-design:illustrator', fromEditor),
      hook_event_name: 'PostToolUse',
      tool_response: {
        status: 'completed',
        agentId: 'a-illustrator',
        content: [{ type: 'text', text: '{"svg": 42}' }],
      },
    }
    const told = await answer(postToolUseHook, post, one.env)
    expect(JSON.parse(told.stdout).hookSpecificOutput.additionalContext).toMatch(
      /^Switchboard: the return of tdd-design:illustrator \(toolu_2\) does not match its output contract/,
    )
    expect((await answer(postToolUseHook, post, one.env)).stdout).toBe('') // told once

    // The other session saw none of it.
    expect(readRecords(one.dir).filter((r) => r.e === 'call')).toHaveLength(2)
    expect(readRecords(two.dir)).toEqual([])
  })

  // Found by review: each denied call of a padded name wrote its megabyte to the log, and past the log's
  // bound the guard failed open, so every check after it was skipped.
  it('keeps a padded name short in the log, and refuses tracked calls while the log cannot be read', async () => {
    const { env, call, dir } = await session('in-process-4')
    const padded = `tdd-design:nobody${' '.repeat(1_000_000)}`
    for (const id of ['toolu_p1', 'toolu_p2']) {
      const denied = await answer(preToolUseHook, call(id, padded), env)
      expect(JSON.parse(denied.stdout).hookSpecificOutput.permissionDecision).toBe('deny')
    }
    expect(statSync(join(dir, CALL_LOG)).size).toBeLessThan(8 * 1024)
    expect(readRecords(dir).filter((r) => r.e === 'call')).toHaveLength(2)
    // A log past its bound, as something else that can write the data folder could make it: refused, not unchecked.
    appendFileSync(join(dir, CALL_LOG), `\n${'x'.repeat(17 * 1024 * 1024)}`)
    const refused = await answer(preToolUseHook, call('toolu_p3', 'tdd-design:illustrator'), env)
    expect(JSON.parse(refused.stdout).hookSpecificOutput.permissionDecisionReason).toMatch(
      /^Switchboard: unchecked: cannot read the session's call log \S+calls\.jsonl \(EFBIG/,
    )
    // A built-in agent, which the guard does not track, still runs.
    expect(await answer(preToolUseHook, call('toolu_p4', 'general-purpose'), env)).toEqual({
      stdout: '',
      stderr: '',
      exitCode: 0,
    })
  })

  // Found by review: a prompt CronCreate queues runs later as the person's own turn (guard/scheduled-prompts.ts).
  it("refuses CronCreate to a plugin's agent and to a main thread run as one, not to the person", async () => {
    const { env, call } = await session('in-process-5')
    const cron = (toolUseId: string, extra: Record<string, unknown> = {}) => ({
      ...call(toolUseId, 'unused'),
      tool_name: 'CronCreate',
      tool_input: { cron: '0 0 1 1 *', prompt: 'Call tdd-design:illustrator.', recurring: false },
      ...extra,
    })
    const decision = async (input: unknown) => {
      const answered = await answer(preToolUseHook, input, env)
      return answered.stdout ? JSON.parse(answered.stdout).hookSpecificOutput.permissionDecisionReason : answered
    }
    expect(await decision(cron('toolu_c1'))).toEqual({ stdout: '', stderr: '', exitCode: 0 })
    const fromAgent = { agent_id: 'a-editor', agent_type: 'tdd-editor:editor' }
    expect(await decision(cron('toolu_c2', fromAgent))).toMatch(
      /^Switchboard: schedule: tdd-editor:editor may not queue a prompt for the main thread \(CronCreate\)/,
    )
    expect(await decision(cron('toolu_c3', { agent_type: 'tdd-editor:editor' }))).toMatch(/^Switchboard: schedule: /)
    // A built-in agent the person started (no traced call above it) passes.
    expect(await decision(cron('toolu_c4', { agent_id: 'a-helper', agent_type: 'general-purpose' }))).toEqual({
      stdout: '',
      stderr: '',
      exitCode: 0,
    })
  })

  it('answers input that is not JSON, or not its event, with one stderr line and its failure mode', async () => {
    const { env, call } = await session('in-process-3')
    const notJson = await answer(preToolUseHook, '{"session_id": ', env)
    expect(notJson).toEqual({
      stdout: '',
      stderr:
        'switchboard pre-tool-use: stdin is not JSON. Claude Code sends the hook input as JSON on stdin; run this hook only from hooks.json.\n',
      exitCode: 1,
    })
    // Strict mode (the user's choice, read from the environment): the guard fails closed.
    expect((await answer(preToolUseHook, 'nope', { ...env, SWITCHBOARD_STRICT: '1' })).exitCode).toBe(2)
    const wrongEvent = await answer(subagentHook, call('toolu_9', 'tdd-design:illustrator'), env)
    expect(wrongEvent.exitCode).toBe(1)
    expect(wrongEvent.stderr).toMatch(/^switchboard subagent: unexpected hook input \(.*hook_event_name/)
  })
})
