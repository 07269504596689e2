// Where this session's hooks module runs, the settings hooks step aside, so one call never gets two
// decisions or two records: SessionStart's command (/bin/sh -c, ${CLAUDE_PLUGIN_ROOT} filled in, a `node`
// on PATH that only says it ran) starts node only where the module did not prepare the session, and the
// per-call hooks, answered by the MCP server's `hook` tool, answer nothing for the module's session as
// its variables name it (the module keeps them out at plugin.register; this is the second line). Each against every
// environment that might fool the test.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readRecords, recordSessionStart } from '../../src/trace/index.ts'
import { PLUGIN } from '../helpers/cli.ts'
import { hookSession, runHookSync } from '../helpers/hooks.ts'
import { testdir } from '../helpers/testdir.ts'

type HooksFile = { hooks: Record<string, Array<{ matcher?: string; hooks: Array<{ command: string }> }>> }
const config = JSON.parse(readFileSync(join(PLUGIN, 'hooks', 'hooks.json'), 'utf8')) as HooksFile

const fakeBin = testdir()
writeFileSync(join(fakeBin, 'node'), '#!/bin/sh\necho "RAN $*"\n')
chmodSync(join(fakeBin, 'node'), 0o755)

/** Whether the hook would start its node process. */
function runs(command: string, env: Record<string, string>, root = PLUGIN): boolean {
  const filled = command.replaceAll('${CLAUDE_PLUGIN_ROOT}', root)
  const result = spawnSync('/bin/sh', ['-c', filled], {
    env: { PATH: `${fakeBin}:${process.env.PATH ?? ''}`, CLAUDE_PLUGIN_ROOT: root, ...env },
    encoding: 'utf8',
  })
  expect(result.stderr).toBe('')
  const ran = result.stdout.includes('RAN ')
  if (ran) expect(result.stdout).toMatch(/RAN .*hooks\/bin\/[a-z-]+\.[cm]js/)
  return ran
}

describe('the per-call hooks, answered by the MCP server', () => {
  it("step aside for this session's module, and only for it", () => {
    const { home, env, sessionId, dir } = hookSession('s-1')
    const call = (id: string) => ({
      session_id: sessionId,
      cwd: home,
      hook_event_name: 'PreToolUse',
      tool_name: 'Agent',
      tool_use_id: id,
      tool_input: { description: 'd', prompt: 'p', subagent_type: 'tdd-editor:nobody' },
    })
    const denies = (id: string, extra: Record<string, string>) => {
      const result = runHookSync('pre-tool-use', call(id), { ...env, ...extra })
      expect(result.code).toBe(0)
      return result.stdout.includes('"permissionDecision":"deny"')
    }
    expect(denies('toolu_1', { SWITCHBOARD_RUNTIME: 'module', SWITCHBOARD_RUNTIME_SESSION: 's-1' })).toBe(false)
    expect(readRecords(dir).filter((r) => r.e === 'call')).toEqual([]) // nor recorded
    expect(denies('toolu_2', {})).toBe(true) // no module
    // Inherited from the session whose Bash tool started this Claude Code:
    expect(denies('toolu_3', { SWITCHBOARD_RUNTIME: 'module', SWITCHBOARD_RUNTIME_SESSION: 's-0' })).toBe(true)
    expect(denies('toolu_4', { SWITCHBOARD_RUNTIME: 'module' })).toBe(true)
    // Empty is no proof of anything:
    expect(denies('toolu_5', { SWITCHBOARD_RUNTIME: 'module', SWITCHBOARD_RUNTIME_SESSION: '' })).toBe(true)
    expect(denies('toolu_6', { SWITCHBOARD_RUNTIME: 'settings', SWITCHBOARD_RUNTIME_SESSION: 's-1' })).toBe(true)
    // Never by a file: the marker a module's session start leaves in the session folder outlives that start
    // (a session resumed in settings mode), and a model's Bash step could write one to switch the guard off.
    recordSessionStart(dir, home, 'hooks module')
    expect(denies('toolu_7', {})).toBe(true)
    expect(
      readRecords(dir)
        .filter((r) => r.e === 'call')
        .map((r) => (r as { id: string }).id),
    ).toEqual(['toolu_2', 'toolu_3', 'toolu_4', 'toolu_5', 'toolu_6', 'toolu_7'])
  })
})

// SessionStart's node process steps aside only where this session's module prepared the session
// itself (module/session-start.ts): the module running is not enough, as it leaves a stale snapshot to the hook.
describe('the SessionStart hook', () => {
  const [command] = config.hooks.SessionStart!.flatMap((entry) => entry.hooks.map((h) => h.command))
  const start = (env: Record<string, string>) => runs(command!, env, PLUGIN)
  const module = { SWITCHBOARD_RUNTIME: 'module', SWITCHBOARD_RUNTIME_SESSION: 's-1' }

  it('steps aside for a session the module prepared, and only for it', () => {
    expect(start({ ...module, CLAUDE_CODE_SESSION_ID: 's-1', SWITCHBOARD_SESSION_READY: 's-1' })).toBe(false)
    expect(start({ ...module, CLAUDE_CODE_SESSION_ID: 's-1' })).toBe(true) // module ran, did not prepare
    expect(start({ CLAUDE_CODE_SESSION_ID: 's-1' })).toBe(true) // no module
    // Inherited from the session whose Bash tool started this Claude Code:
    expect(start({ CLAUDE_CODE_SESSION_ID: 's-2', SWITCHBOARD_SESSION_READY: 's-1' })).toBe(true)
    // Empty on both sides is no proof of anything:
    expect(start({ SWITCHBOARD_SESSION_READY: '' })).toBe(true)
    expect(start({ CLAUDE_CODE_SESSION_ID: '', SWITCHBOARD_SESSION_READY: '' })).toBe(true)
    // Shell syntax in a value is compared, never run:
    expect(start({ CLAUDE_CODE_SESSION_ID: 'x" -o "1', SWITCHBOARD_SESSION_READY: 'y' })).toBe(true)
    expect(start({ CLAUDE_CODE_SESSION_ID: '1', SWITCHBOARD_SESSION_READY: '1" -o "x' })).toBe(true)
  })

  // The plugin's folder reaches the shell as a variable it expands, never as text it reads again: a folder
  // named with a quote or a $( ) broke the command, or ran it (found by review).
  it('runs node on a plugin folder whose name holds shell syntax, and runs nothing else', () => {
    const odd = join(testdir(), 'a "b" $(touch pwned) `touch pwned2`')
    mkdirSync(odd, { recursive: true })
    // Claude Code fills in `${CLAUDE_PLUGIN_ROOT}` (braces) as text before the shell reads the command (2.1.197).
    const filled = command!.replaceAll('${CLAUDE_PLUGIN_ROOT}', odd)
    const result = spawnSync('/bin/sh', ['-c', filled], {
      cwd: odd,
      env: { PATH: `${fakeBin}:${process.env.PATH ?? ''}`, CLAUDE_PLUGIN_ROOT: odd, CLAUDE_CODE_SESSION_ID: 's-1' },
      encoding: 'utf8',
    })
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain(`RAN ${odd}/hooks/bin/session-start.cjs`)
    expect(existsSync(join(odd, 'pwned')) || existsSync(join(odd, 'pwned2'))).toBe(false)
  })
})
