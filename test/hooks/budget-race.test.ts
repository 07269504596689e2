// A call budget is a promise: however many PreToolUse processes of one session race, no more calls
// are allowed than the budget. A call the hook cannot check in time is denied as "busy", never let
// through; a hook that fails open (exit 1) lets its call through, so it counts as allowed here.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appendRecord, readRecords, sessionDir } from '../../src/trace/index.ts'
import { REPO } from '../helpers/cli.ts'
import { runHookAsync, runHookSync } from '../helpers/hooks.ts'
import { testdir } from '../helpers/testdir.ts'

const BUDGET = 5
/** Earlier calls in the log: with them each hold lasts long enough for the old lock to time out. */
const HISTORY = 3_000

describe('the call budget under a race of real hook processes', () => {
  it(`allows at most ${BUDGET} calls of one chain when 60 hook processes race`, async () => {
    const home = testdir({ '.claude/switchboard/policy.json': { limits: { maxCallsPerChain: BUDGET } } })
    const data = join(home, 'data')
    const env = {
      HOME: home,
      SWITCHBOARD_DATA_DIR: data,
      SWITCHBOARD_PLUGIN_DIRS: ['tdd-editor', 'tdd-design'].map((p) => join(REPO, 'examples', p)).join(':'),
    }
    const sessionId = 'race-session'
    expect(
      runHookSync(
        'session-start',
        { session_id: sessionId, cwd: home, hook_event_name: 'SessionStart', source: 'startup' },
        env,
      ).code,
    ).toBe(0)
    const call = (id: string, from?: { agent_id: string; agent_type: string }, target = 'tdd-editor:editor') => ({
      session_id: sessionId,
      cwd: home,
      hook_event_name: 'PreToolUse',
      tool_name: 'Agent',
      tool_use_id: id,
      ...from,
      tool_input: { description: 'd', prompt: 'p', subagent_type: target },
    })
    // The chain's root (one call of the budget), then 60 parallel calls from the agent running it.
    expect(runHookSync('pre-tool-use', call('toolu_root'), env).code).toBe(0)
    const dir = sessionDir(data, sessionId)
    appendRecord(dir, { e: 'link', id: 'toolu_root', agent: 'agent-root', ts: Date.now(), how: 'post-tool-use' })
    // A long session: thousands of finished calls of earlier chains make every hold of the lock
    // last as long as it does late in a real session (read and fold the whole log).
    for (let i = 0; i < HISTORY; i++) {
      appendRecord(dir, {
        e: 'call',
        id: `toolu_old_${i}`,
        parent: null,
        caller: 'main',
        callerAgent: null,
        target: 'tdd-editor:editor',
        kind: 'agent',
        ts: 1,
        status: 'running',
      })
      appendRecord(dir, { e: 'end', id: `toolu_old_${i}`, status: 'ok', ts: 2 })
    }
    const from = { agent_id: 'agent-root', agent_type: 'tdd-editor:editor' }
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        runHookAsync('pre-tool-use', call(`toolu_race_${i}`, from, 'tdd-design:illustrator'), env),
      ),
    )

    const denied = (r: { code: number | null; stdout: string }) =>
      r.code === 2 || r.stdout.includes('"permissionDecision":"deny"')
    const allowed = results.filter((r) => !denied(r))
    const running = readRecords(dir).filter(
      (r) => r.e === 'call' && r.status === 'running' && !r.id.startsWith('toolu_old_'),
    )
    // Printed so a run shows how close it came: allowed calls, budget denials, busy denials.
    console.info(
      `budget race: ${allowed.length} of 60 allowed (budget ${BUDGET - 1} after the root), ${results.filter((r) => r.stdout.includes('budget:')).length} denied by the budget, ${results.filter((r) => r.stdout.includes('busy:')).length} denied as busy`,
    )
    expect(allowed.length).toBeLessThanOrEqual(BUDGET - 1)
    expect(running.length).toBeLessThanOrEqual(BUDGET)
    // Every denial names its reason: the budget, or a busy lock with a request to retry.
    for (const result of results.filter(denied))
      expect(result.stdout).toMatch(
        /Switchboard: (budget: the chain started by tdd-editor:editor has made 5 calls|busy: .*retry)/,
      )
  }, 120_000)
})
