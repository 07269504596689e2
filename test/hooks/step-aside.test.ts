// The per-call settings hooks step aside only for this session's own hooks module: their shell test,
// run as Claude Code runs it (/bin/sh -c), against every environment that might fool it.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO } from '../helpers/cli.ts'

const config = JSON.parse(readFileSync(join(REPO, 'hooks', 'hooks.json'), 'utf8')) as {
  hooks: Record<string, Array<{ hooks: Array<{ command: string }> }>>
}
const perCall = Object.entries(config.hooks)
  .filter(([event]) => event !== 'SessionStart')
  .flatMap(([event, entries]) => entries.flatMap((e) => e.hooks.map((h) => [event, h.command] as const)))

/** Whether the hook would start its node process: `exec node` swapped for a marker. */
function runs(command: string, env: Record<string, string>): boolean {
  const probe = command.replace(/exec node .*$/, 'echo RAN')
  expect(probe).not.toBe(command)
  return spawnSync('/bin/sh', ['-c', probe], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  }).stdout.includes('RAN')
}

describe.each(perCall)('the %s hook', (_event, command) => {
  it("steps aside for this session's module, and only for it", () => {
    expect(
      runs(command, {
        CLAUDE_CODE_SESSION_ID: 's-1',
        SWITCHBOARD_RUNTIME: 'module',
        SWITCHBOARD_RUNTIME_SESSION: 's-1',
      }),
    ).toBe(false)
    expect(runs(command, { CLAUDE_CODE_SESSION_ID: 's-1' })).toBe(true) // no module
    // Inherited from the session whose Bash tool started this Claude Code:
    expect(
      runs(command, {
        CLAUDE_CODE_SESSION_ID: 's-2',
        SWITCHBOARD_RUNTIME: 'module',
        SWITCHBOARD_RUNTIME_SESSION: 's-1',
      }),
    ).toBe(true)
    expect(runs(command, { CLAUDE_CODE_SESSION_ID: 's-2', SWITCHBOARD_RUNTIME: 'module' })).toBe(true)
    // Empty on both sides is no proof of anything:
    expect(runs(command, { SWITCHBOARD_RUNTIME: 'module', SWITCHBOARD_RUNTIME_SESSION: '' })).toBe(true)
    expect(runs(command, { SWITCHBOARD_RUNTIME: 'module' })).toBe(true)
    // Shell syntax in a value is compared, never run:
    expect(runs(command, { CLAUDE_CODE_SESSION_ID: 'x" -o "1', SWITCHBOARD_RUNTIME_SESSION: 'y' })).toBe(true)
  })
})
