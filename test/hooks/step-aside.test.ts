// The per-call settings hooks start node only when there is work for them: they step aside for this
// session's own hooks module, and PostToolUse on Agent calls also when nothing is left for it after
// SubagentStop (no notice for a caller, no guided workflow run; src/hooks/caller-notice.ts).
// Each hook's command is run as Claude Code runs it (/bin/sh -c, ${CLAUDE_PLUGIN_ROOT} filled in), with
// a `node` on PATH that only says it ran, against every environment that might fool the shell test.
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { NOTICES } from '../../src/hooks/caller-notice.ts'
import { GUIDED_FILE } from '../../src/workflow/guided.ts'
import { switchboardDataOf } from '../../src/registry/snapshot-locator.ts'
import { HOOKS_PLUGIN, PLUGIN } from '../helpers/cli.ts'
import { testdir } from '../helpers/testdir.ts'

type HooksFile = { hooks: Record<string, Array<{ matcher?: string; hooks: Array<{ command: string }> }>> }
const config = JSON.parse(readFileSync(join(PLUGIN, 'hooks', 'hooks.json'), 'utf8')) as HooksFile
// The per-call hooks are the companion's (switchboard-hooks), which the module keeps out where it loads.
const companion = JSON.parse(readFileSync(join(HOOKS_PLUGIN, 'hooks', 'hooks.json'), 'utf8')) as HooksFile
const perCall = Object.entries(companion.hooks).flatMap(([event, entries]) =>
  entries.flatMap((e) => e.hooks.map((h) => [`${event} ${e.matcher}`, h.command] as const)),
)

const fakeBin = testdir()
writeFileSync(join(fakeBin, 'node'), '#!/bin/sh\necho "RAN $*"\n')
chmodSync(join(fakeBin, 'node'), 0o755)

/** Whether the hook would start its node process. */
function runs(command: string, env: Record<string, string>, root = HOOKS_PLUGIN): boolean {
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

describe.each(perCall)('the %s hook', (hook, command) => {
  // PostToolUse on agents needs a reason to run besides no module: a notice for a caller.
  const waiting = testdir({ 'sessions/s-1/notices/toolu_1': 'told', 'sessions/s-2/notices/toolu_2': 'told' })
  const data = { CLAUDE_PLUGIN_DATA: waiting }

  it("steps aside for this session's module, and only for it", () => {
    expect(
      runs(command, {
        ...data,
        CLAUDE_CODE_SESSION_ID: 's-1',
        SWITCHBOARD_RUNTIME: 'module',
        SWITCHBOARD_RUNTIME_SESSION: 's-1',
      }),
    ).toBe(false)
    expect(runs(command, { ...data, CLAUDE_CODE_SESSION_ID: 's-1' })).toBe(true) // no module
    // Inherited from the session whose Bash tool started this Claude Code:
    expect(
      runs(command, {
        ...data,
        CLAUDE_CODE_SESSION_ID: 's-2',
        SWITCHBOARD_RUNTIME: 'module',
        SWITCHBOARD_RUNTIME_SESSION: 's-1',
      }),
    ).toBe(true)
    expect(runs(command, { ...data, CLAUDE_CODE_SESSION_ID: 's-2', SWITCHBOARD_RUNTIME: 'module' })).toBe(true)
    // Empty on both sides is no proof of anything:
    expect(runs(command, { ...data, SWITCHBOARD_RUNTIME: 'module', SWITCHBOARD_RUNTIME_SESSION: '' })).toBe(true)
    expect(runs(command, { ...data, SWITCHBOARD_RUNTIME: 'module' })).toBe(true)
    // Shell syntax in a value is compared, never run:
    expect(runs(command, { ...data, CLAUDE_CODE_SESSION_ID: 'x" -o "1', SWITCHBOARD_RUNTIME_SESSION: 'y' })).toBe(true)
  })

  if (hook !== 'PostToolUse Agent|Task') return
  it('starts node only while a caller has a notice waiting or a guided workflow runs', () => {
    const quiet = testdir({ 'sessions/s-1/calls.jsonl': '' })
    mkdirSync(join(quiet, 'sessions', 's-1', NOTICES))
    expect(runs(command, { CLAUDE_PLUGIN_DATA: quiet, CLAUDE_CODE_SESSION_ID: 's-1' })).toBe(false)
    expect(runs(command, { CLAUDE_PLUGIN_DATA: join(quiet, 'nowhere'), CLAUDE_CODE_SESSION_ID: 's-1' })).toBe(false)
    // Another session's notice is not this one's:
    expect(runs(command, { ...data, CLAUDE_CODE_SESSION_ID: 's-3' })).toBe(false)
    expect(runs(command, { ...data, CLAUDE_CODE_SESSION_ID: 's-2' })).toBe(true)
    const guided = testdir({ [`sessions/s-1/${GUIDED_FILE}`]: '{}' })
    expect(runs(command, { CLAUDE_PLUGIN_DATA: guided, CLAUDE_CODE_SESSION_ID: 's-1' })).toBe(true)
    // Wherever the session folder may be elsewhere than the script assumes, node decides:
    expect(
      runs(command, { CLAUDE_PLUGIN_DATA: quiet, SWITCHBOARD_DATA_DIR: quiet, CLAUDE_CODE_SESSION_ID: 's-1' }),
    ).toBe(true)
    expect(runs(command, { CLAUDE_CODE_SESSION_ID: 's-1' })).toBe(true) // no CLAUDE_PLUGIN_DATA
    expect(runs(command, { CLAUDE_PLUGIN_DATA: quiet })).toBe(true) // no session id
    for (const id of ['../s-1', 's 1', 's-1/..', '*', 's-1$(touch /tmp/pwned)', 's.1'])
      expect(runs(command, { CLAUDE_PLUGIN_DATA: quiet, CLAUDE_CODE_SESSION_ID: id }), id).toBe(true)
  })

  // Claude Code gives the companion its own data folder; the notices are in Switchboard's beside it.
  it("looks for notices in Switchboard's data folder, found beside the companion's as the hooks find it", () => {
    const plugins = testdir({
      'switchboard-mkt/sessions/s-1/notices/toolu_1': 'told',
      'switchboard-hooks-mkt/x': '',
      // Where a wrong reading of the folders left alone below would look: a notice waits there too.
      'switchboard-/sessions/s-1/notices/toolu_1': 'told',
      'switchboard-mkt/sub/sessions/s-1/notices/toolu_1': 'told',
    })
    const companionData = join(plugins, 'switchboard-hooks-mkt')
    expect(switchboardDataOf(companionData)).toBe(join(plugins, 'switchboard-mkt'))
    expect(runs(command, { CLAUDE_PLUGIN_DATA: companionData, CLAUDE_CODE_SESSION_ID: 's-1' })).toBe(true)
    expect(runs(command, { CLAUDE_PLUGIN_DATA: `${companionData}/`, CLAUDE_CODE_SESSION_ID: 's-1' })).toBe(true)
    expect(runs(command, { CLAUDE_PLUGIN_DATA: companionData, CLAUDE_CODE_SESSION_ID: 's-2' })).toBe(false)
    // Folders the rule leaves alone, in shell as in TypeScript: the script then looks in them as given.
    for (const data of [join(plugins, 'switchboard-hooks-'), join(plugins, 'switchboard-hooks-mkt', 'sub')]) {
      expect(switchboardDataOf(data)).toBe(data)
      expect(runs(command, { CLAUDE_PLUGIN_DATA: data, CLAUDE_CODE_SESSION_ID: 's-1' })).toBe(false)
    }
  })

  it('names the files the hooks write', () => {
    const script = readFileSync(join(HOOKS_PLUGIN, 'hooks', 'bin', 'post-agent.sh'), 'utf8')
    expect(script).toContain(`/${NOTICES}/`)
    expect(script).toContain(`/${GUIDED_FILE}`)
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
})
