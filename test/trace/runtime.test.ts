import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  claudeVersionFromEnv,
  claudeVersionFromOutput,
  lastSessionOf,
  loadsHooksModules,
  MODULE_MARKER,
  recordSessionStart,
  runtimeLine,
  sessionDir,
  sessionRuntimeFromEnv,
  writeSnapshotPointer,
} from '../../src/trace/index.ts'
import { testdir } from '../helpers/testdir.ts'

/** Switchboard and its companion, as the registry records plugins loaded from one marketplace. */
const plugin = (name: string, marketplace: string | null = 'switchboard', loaded = true) => ({
  name,
  marketplace,
  enabled: true,
  loaded,
})
const BOTH = [plugin('switchboard'), plugin('switchboard-hooks')]

describe('which runtime runs a session (SessionStart)', () => {
  const agent = (version: string) => ({ AI_AGENT: `claude-code_${version.replaceAll('.', '-')}_harness` })

  it('is the hooks module when the module set both variables for this very session', () => {
    const env = { ...agent('2.1.332'), SWITCHBOARD_RUNTIME: 'module', SWITCHBOARD_RUNTIME_SESSION: 's-1' }
    expect(sessionRuntimeFromEnv(env, 's-1')).toEqual({ runtime: 'hooks module', version: '2.1.332' })
    expect(runtimeLine(sessionRuntimeFromEnv(env, 's-1'), [])).toEqual({ line: 'Switchboard runtime: hooks module.' })
  })

  it('is the settings hooks without the variable, saying why from the Claude Code version', () => {
    expect(runtimeLine(sessionRuntimeFromEnv(agent('2.1.197'), 's-1'), BOTH).line).toBe(
      'Switchboard runtime: settings hooks (Claude Code 2.1.197 predates hooks modules).',
    )
    expect(runtimeLine(sessionRuntimeFromEnv(agent('2.1.332'), 's-1'), BOTH).line).toBe(
      'Switchboard runtime: settings hooks (Claude Code 2.1.332 did not load its hooks module; `switchboard doctor` says why).',
    )
    expect(runtimeLine(sessionRuntimeFromEnv({}, 's-1'), BOTH).line).toBe('Switchboard runtime: settings hooks.')
  })

  it('is the settings hooks when the module variables were inherited from another session', () => {
    // A Claude Code started from another one's Bash tool inherits its environment; its own hooks do the work (hooks.json compares the session).
    for (const env of [
      { SWITCHBOARD_RUNTIME: 'module', SWITCHBOARD_RUNTIME_SESSION: 'outer' },
      { SWITCHBOARD_RUNTIME: 'module' },
      { SWITCHBOARD_RUNTIME: 'module', SWITCHBOARD_RUNTIME_SESSION: '' },
    ]) {
      const session = sessionRuntimeFromEnv({ ...agent('2.1.197'), ...env }, 'inner')
      expect(session.runtime).toBe('settings hooks')
      expect(runtimeLine(session, BOTH).line).toBe(
        'Switchboard runtime: settings hooks (Claude Code 2.1.197 predates hooks modules).',
      )
    }
  })

  it('says where the settings hooks should run but their companion plugin is not loaded, with the fix', () => {
    const settings = sessionRuntimeFromEnv(agent('2.1.197'), 's-1')
    const missing = (plugins: ReturnType<typeof plugin>[]) => runtimeLine(settings, plugins).line.split('\n')
    const [, warning] = missing([plugin('switchboard')])
    expect(runtimeLine(settings, [plugin('switchboard')]).warning).toBe(warning)
    expect(runtimeLine(settings, BOTH).warning).toBeUndefined()
    expect(warning).toBe(
      "Switchboard's companion plugin switchboard-hooks is not loaded, so where the hooks module does not run, cross-plugin calls are neither checked nor traced. Install it: `claude plugin install switchboard-hooks@switchboard`.",
    )
    // Disabled, refused by Claude Code, or a plugin of that name from another marketplace: not Switchboard's hooks.
    const disabled = missing([plugin('switchboard'), { ...plugin('switchboard-hooks'), enabled: false }])
    expect(disabled[1]).toContain('Enable it: `claude plugin enable switchboard-hooks@switchboard`.')
    expect(missing([plugin('switchboard'), plugin('switchboard-hooks', 'switchboard', false)])).toHaveLength(2)
    expect(missing([plugin('switchboard'), plugin('switchboard-hooks', 'elsewhere')])).toHaveLength(2)
    // Both by --plugin-dir:
    expect(missing([plugin('switchboard', null), plugin('switchboard-hooks', null)])).toHaveLength(1)
    expect(missing([plugin('switchboard', null)])[1]).toContain('`--plugin-dir` its folder')
    // Switchboard itself not listed (a --plugin-dir session where no /proc shows the command line): unknown, not missing.
    expect(runtimeLine(settings, [plugin('other-plugin')]).warning).toBeUndefined()
    expect(runtimeLine(settings, []).warning).toBeUndefined()
    // The module needs no companion.
    expect(
      runtimeLine(
        sessionRuntimeFromEnv({ SWITCHBOARD_RUNTIME: 'module', SWITCHBOARD_RUNTIME_SESSION: 's-1' }, 's-1'),
        [],
      ).line,
    ).toBe('Switchboard runtime: hooks module.')
  })

  it('says where the companion is of another version than Switchboard, with the fix, and not where they agree', () => {
    const settings = sessionRuntimeFromEnv(agent('2.1.197'), 's-1')
    const versioned = (name: string, version: string | null, marketplace: string | null = 'switchboard') => ({
      ...plugin(name, marketplace),
      version,
    })
    const line = (own: string | null, companion: string | null, marketplace: string | null = 'switchboard') =>
      runtimeLine(settings, [
        versioned('switchboard', own, marketplace),
        versioned('switchboard-hooks', companion, marketplace),
      ])
    expect(line('0.4.0', '0.4.0').warning).toBeUndefined()
    expect(line('0.4.0', '0.3.0').warning).toBe(
      "Switchboard's companion plugin switchboard-hooks is 0.3.0, Switchboard 0.4.0: they are made to work together at one version, and where the hooks module does not run a companion newer than Switchboard asks it for a hook tool it may lack, leaving cross-plugin calls unchecked. Update both: `claude plugin update switchboard@switchboard` and `claude plugin update switchboard-hooks@switchboard`.",
    )
    expect(line('0.3.0', '0.4.0').line.split('\n')).toHaveLength(2)
    expect(line('0.3.0', '0.4.0', null).warning).toContain('plugin-hooks/ folder of the same checkout')
    expect(line(null, '0.4.0').warning).toBeUndefined() // unversioned: nothing to compare
    // The module runs without the companion's hooks: no word of them.
    const module = sessionRuntimeFromEnv({ SWITCHBOARD_RUNTIME: 'module', SWITCHBOARD_RUNTIME_SESSION: 's-1' }, 's-1')
    expect(
      runtimeLine(module, [versioned('switchboard', '0.4.0'), versioned('switchboard-hooks', '0.3.0')]).warning,
    ).toBeUndefined()
  })

  it('says where a managed MCP list keeps out the server that answers the settings hooks, beside other warnings', () => {
    const settings = sessionRuntimeFromEnv(agent('2.1.197'), 's-1')
    const block = { file: '/etc/claude-code/managed-settings.json', key: 'deniedMcpServers' as const }
    const both = runtimeLine(settings, BOTH, block)
    expect(both.warning).toBe(
      '/etc/claude-code/managed-settings.json\'s deniedMcpServers denies Switchboard\'s MCP server (plugin:switchboard:switchboard): its settings hooks, which that server answers, cannot run: cross-plugin calls are not checked or traced (strict mode included), and its MCP tools are missing. Only your administrator can change managed settings (add { "serverName": "plugin:switchboard:switchboard" } to the allowlist, or take it off the denylist).',
    )
    expect(runtimeLine(settings, [plugin('switchboard')], block).line.split('\n')).toHaveLength(3) // and the missing companion
    const module = sessionRuntimeFromEnv({ SWITCHBOARD_RUNTIME: 'module', SWITCHBOARD_RUNTIME_SESSION: 's-1' }, 's-1')
    expect(runtimeLine(module, BOTH, block).warning).toBeUndefined()
  })

  it('reads the Claude Code version from AI_AGENT and from `claude --version`', () => {
    expect(claudeVersionFromEnv({ AI_AGENT: 'claude-code_2-1-331_agent' })).toBe('2.1.331')
    expect(claudeVersionFromEnv({ AI_AGENT: 'claude-code/2.1.331/agent' })).toBe('2.1.331')
    expect(claudeVersionFromEnv({ AI_AGENT: 'cursor_1-2-3_agent' })).toBeUndefined()
    expect(claudeVersionFromEnv({})).toBeUndefined()
    expect(claudeVersionFromOutput('2.1.332 (Claude Code)\n')).toBe('2.1.332')
    expect(claudeVersionFromOutput('command not found')).toBeUndefined()
  })

  it('knows hooks modules load from 2.1.287 on', () => {
    expect(['2.1.197', '2.1.286', '2.0.999', '1.9.300'].map(loadsHooksModules)).toEqual([false, false, false, false])
    expect(['2.1.287', '2.1.331', '2.2.0', '3.0.0'].map(loadsHooksModules)).toEqual([true, true, true, true])
  })
})

describe('the runtime a session ran, on disk', () => {
  it("marks a module session at its start, clears the mark when it resumes without the module, and finds this project's last session", () => {
    const data = testdir()
    const first = sessionDir(data, 'first')
    const other = sessionDir(data, 'other-project')
    writeSnapshotPointer(first, '/x')
    recordSessionStart(first, '/work/project/', 'hooks module')
    expect(existsSync(join(first, MODULE_MARKER))).toBe(true)
    expect(readFileSync(join(first, 'project'), 'utf8')).toBe('/work/project')
    writeSnapshotPointer(other, '/x')
    recordSessionStart(other, '/work/elsewhere', 'settings hooks')
    utimesSync(join(other, 'registry-path'), new Date(), new Date(Date.now() + 5_000)) // the most recent session, of another project
    expect(lastSessionOf(data, '/work/project')).toMatchObject({ id: 'first', runtime: 'hooks module' })
    recordSessionStart(first, '/work/project', 'settings hooks') // resumed under 2.1.197
    expect(lastSessionOf(data, '/work/project')).toMatchObject({ id: 'first', runtime: 'settings hooks' })
    expect(lastSessionOf(data, '/work/nothing-here')).toBeUndefined()
    writeFileSync(join(first, 'project'), '/work/project\n/work/other') // a project file that is not ours
    expect(lastSessionOf(data, '/work/project')).toBeUndefined()
  })
})
