// Switchboard and its companion switchboard-hooks (the per-call settings hooks) are two plugins that must
// agree on one name everywhere it is written: the companion's manifest, the marketplace entry and the
// dependency that installs it, the module's plugin.register matcher, and the code that finds the
// companion (SETTINGS_HOOKS_PLUGIN). Cheap to check here; the end-to-end tests need the pinned builds.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SETTINGS_HOOKS_PLUGIN } from '../src/registry/snapshot-locator.ts'
import { HOOKS_PLUGIN, PLUGIN, REPO } from './helpers/cli.ts'

const json = (...path: string[]) => JSON.parse(readFileSync(join(...path), 'utf8'))

describe('the companion plugin switchboard-hooks', () => {
  it('is named and versioned as Switchboard expects, and installed with it by its marketplace entry', () => {
    const companion = json(HOOKS_PLUGIN, '.claude-plugin', 'plugin.json')
    expect(companion.name).toBe(SETTINGS_HOOKS_PLUGIN)
    expect(companion.version).toBe(json(PLUGIN, '.claude-plugin', 'plugin.json').version)
    const entries = json(REPO, '.claude-plugin', 'marketplace.json').plugins as Array<Record<string, unknown>>
    expect(entries.find((e) => e.name === SETTINGS_HOOKS_PLUGIN)?.source).toBe('./plugin-hooks')
    expect(entries.find((e) => e.name === 'switchboard')?.dependencies).toEqual([SETTINGS_HOOKS_PLUGIN])
  })

  it('holds every per-call hook, and Switchboard only SessionStart, beside the module that keeps them out', () => {
    const own = json(PLUGIN, 'hooks', 'hooks.json')
    expect(Object.keys(own.hooks)).toEqual(['SessionStart'])
    expect(Object.keys(json(HOOKS_PLUGIN, 'hooks', 'hooks.json').hooks).sort()).toEqual(
      ['PostToolUse', 'PostToolUseFailure', 'PreToolUse', 'SubagentStop'].sort(),
    )
    // The matcher is a literal in the source (so `claude plugin validate` lists it): the same name.
    const register = readFileSync(join(REPO, 'src', 'module', 'register.ts'), 'utf8')
    expect(register).toContain(`on('plugin.register', { name: '${SETTINGS_HOOKS_PLUGIN}' }`)
    expect(readFileSync(join(HOOKS_PLUGIN, 'hooks', 'bin', 'post-agent.sh'), 'utf8')).toContain(
      `*/${SETTINGS_HOOKS_PLUGIN}-*)`,
    )
  })
})
