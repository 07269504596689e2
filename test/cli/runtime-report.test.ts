import { describe, expect, it } from 'vitest'
import { formatRuntimeReport, runtimeReport } from '../../src/cli/runtime-report.ts'
import type { RuntimeSources } from '../../src/cli/runtime-report.ts'

const sources = (over: Partial<RuntimeSources> = {}): RuntimeSources => ({
  env: {},
  claudeVersionOutput: () => '2.1.332 (Claude Code)\n',
  managedSettings: () => [],
  projectConfig: () => undefined,
  lastSession: () => undefined,
  plugins: () => [
    { name: 'switchboard', marketplace: 'switchboard', enabled: true, loaded: true },
    { name: 'switchboard-hooks', marketplace: 'switchboard', enabled: true, loaded: true },
  ],
  ...over,
})
const modsOnly = (value: unknown) =>
  JSON.stringify({ pluginConfigs: { 'cc-plugin-sec-default@builtin': { options: { allowManagedModsOnly: value } } } })

describe('which runtime doctor says would run', () => {
  it('the hooks module on a Claude Code that loads modules, with nothing managed against it', () => {
    const report = runtimeReport(sources({ lastSession: () => ({ id: 's-1', runtime: 'hooks module' }) }))
    expect(report).toMatchObject({
      claudeCode: { version: '2.1.332', source: 'claude --version' },
      hooksModules: 'supported',
      wouldRun: 'hooks module',
      problems: [],
    })
    expect(formatRuntimeReport(report)).toEqual([
      'Runtime:',
      '  Claude Code:       2.1.332 (claude --version)',
      '  Hooks modules:     supported (2.1.287 and later)',
      '  Managed settings:  nothing that turns Switchboard off',
      '  Would run:         hooks module',
      '  Settings hooks:    switchboard-hooks loaded (the fallback where the module does not run)',
      '  Last session here: s-1: hooks module',
    ])
  })

  it('says the companion plugin with the settings hooks is missing where they would run, and how to install it', () => {
    const alone = () => [{ name: 'switchboard', marketplace: 'acme', enabled: true, loaded: true }]
    const settings = runtimeReport(sources({ claudeVersionOutput: () => '2.1.197 (Claude Code)', plugins: alone }))
    expect(settings.settingsHooks).toBe('not loaded')
    expect(settings.problems.at(-1)).toContain('`claude plugin install switchboard-hooks@acme`')
    expect(formatRuntimeReport(settings)).toContain('  Settings hooks:    switchboard-hooks not loaded')
    // Where the module runs, nothing falls back on them: said, not a problem.
    const module = runtimeReport(sources({ plugins: alone }))
    expect(module).toMatchObject({ wouldRun: 'hooks module', settingsHooks: 'not loaded', problems: [] })
    // Switchboard itself not found (a --plugin-dir session, its folders not given to doctor): no claim either way.
    const unseen = runtimeReport(sources({ claudeVersionOutput: () => '2.1.197 (Claude Code)', plugins: () => [] }))
    expect(unseen.settingsHooks).toBe('unknown')
    expect(unseen.problems.join('\n')).not.toContain('switchboard-hooks')
  })

  it('says where the companion and Switchboard differ in version, where the settings hooks would run', () => {
    const apart = () => [
      { name: 'switchboard', marketplace: 'acme', enabled: true, loaded: true, version: '0.4.0' },
      { name: 'switchboard-hooks', marketplace: 'acme', enabled: true, loaded: true, version: '0.3.0' },
    ]
    const settings = runtimeReport(sources({ claudeVersionOutput: () => '2.1.197 (Claude Code)', plugins: apart }))
    expect(settings.problems.at(-1)).toContain('`claude plugin update switchboard-hooks@acme`')
    expect(runtimeReport(sources({ plugins: apart })).problems).toEqual([]) // the module runs: they stay out
  })

  // Every per-call settings hook is a call to Switchboard's MCP server: a managed MCP list that keeps the
  // server out turns the guard off where the module does not run (probed on 2.1.197: the hooks then error
  // and the calls go on).
  it("says where a managed MCP list keeps Switchboard's server out, and what that costs in each runtime", () => {
    const managed = (settings: unknown) => () => [
      { file: '/etc/claude-code/managed-settings.json', text: JSON.stringify(settings) },
    ]
    const old = () => '2.1.197 (Claude Code)'
    const deny = { deniedMcpServers: [{ serverName: 'plugin:switchboard:switchboard' }] }
    const settings = runtimeReport(sources({ claudeVersionOutput: old, managedSettings: managed(deny) }))
    expect(settings.problems.at(-1)).toBe(
      '/etc/claude-code/managed-settings.json\'s deniedMcpServers denies Switchboard\'s MCP server (plugin:switchboard:switchboard): its settings hooks, which that server answers, cannot run: cross-plugin calls are not checked or traced (strict mode included), and its MCP tools are missing. Only your administrator can change managed settings (add { "serverName": "plugin:switchboard:switchboard" } to the allowlist, or take it off the denylist).',
    )
    const module = runtimeReport(sources({ managedSettings: managed(deny) }))
    expect(module.problems.at(-1)).toContain(
      'its MCP tools (registry_search, plan_call, the context store, workflows) are missing.',
    )
    // An allowlist that does not name it may leave it out; one that does, and a denial by the short name, do not.
    const allowOther = { allowedMcpServers: [{ serverName: 'github' }] }
    expect(
      runtimeReport(sources({ claudeVersionOutput: old, managedSettings: managed(allowOther) })).problems.at(-1),
    ).toContain('allowedMcpServers may leave out, as its allowlist does not name it,')
    for (const fine of [
      { allowedMcpServers: [{ serverName: 'plugin:switchboard:switchboard' }] },
      { deniedMcpServers: [{ serverName: 'switchboard' }, null, 'x'] },
      {},
    ])
      expect(
        runtimeReport(sources({ claudeVersionOutput: old, managedSettings: managed(fine) })).problems.join('\n'),
      ).not.toContain("Switchboard's MCP server (plugin:")
    // Claude Code concatenates the drop-ins' lists: an allowlist split across files names it if any part does.
    const split = (first: unknown, second: unknown) => () => [
      { file: '/etc/claude-code/managed-settings.json', text: JSON.stringify(first) },
      { file: '/etc/claude-code/managed-settings.d/20-mcp.json', text: JSON.stringify(second) },
    ]
    const ours = { allowedMcpServers: [{ serverName: 'plugin:switchboard:switchboard' }] }
    for (const [first, second] of [
      [allowOther, ours],
      [ours, allowOther],
      [{}, ours],
    ])
      expect(
        runtimeReport(sources({ claudeVersionOutput: old, managedSettings: split(first, second) })).problems.join('\n'),
      ).not.toContain("Switchboard's MCP server (plugin:")
    expect(
      runtimeReport(sources({ claudeVersionOutput: old, managedSettings: split(allowOther, allowOther) })).problems.at(
        -1,
      ),
    ).toContain("/etc/claude-code/managed-settings.json's allowedMcpServers may leave out")
  })

  // The person's /mcp switch: projects[<key>].disabledMcpServers in Claude Code's config file (probed on 2.1.197).
  it("says where the person switched Switchboard's server off in /mcp, for this project only", () => {
    const old = () => '2.1.197 (Claude Code)'
    const config =
      (projects: unknown, projectKeys = ['/work/app']) =>
      () => ({
        file: '/home/ada/.claude.json',
        text: JSON.stringify({ numStartups: 3, projects }),
        projectKeys,
      })
    const off = { '/work/app': { disabledMcpServers: ['github', 'plugin:switchboard:switchboard'] } }
    expect(runtimeReport(sources({ claudeVersionOutput: old, projectConfig: config(off) })).problems.at(-1)).toBe(
      "Switchboard's MCP server (plugin:switchboard:switchboard) is switched off for /work/app (disabledMcpServers in /home/ada/.claude.json, as /mcp leaves it): its settings hooks, which that server answers, cannot run: cross-plugin calls are not checked or traced (strict mode included), and its MCP tools are missing. Switch it on again: /mcp, select plugin:switchboard:switchboard, Enable.",
    )
    // Under the repository's key, found from a folder inside it; the module loses only its tools.
    expect(
      runtimeReport(sources({ projectConfig: config(off, ['/work/app/sub', '/work/app']) })).problems.at(-1),
    ).toContain(
      'is switched off for /work/app (disabledMcpServers in /home/ada/.claude.json, as /mcp leaves it): its MCP tools',
    )
    for (const fine of [
      { '/work/other': { disabledMcpServers: ['plugin:switchboard:switchboard'] } }, // another project
      { '/work/app': { disabledMcpServers: ['switchboard'] } }, // the short name does not switch it off
      { '/work/app': { disabledMcpServers: 'plugin:switchboard:switchboard' } }, // not a list
      { '/work/app': null },
      ['plugin:switchboard:switchboard'],
    ])
      expect(
        runtimeReport(sources({ claudeVersionOutput: old, projectConfig: config(fine) })).problems.join('\n'),
      ).not.toContain("Switchboard's MCP server (plugin:")
    const broken = () => ({
      file: '/home/ada/.claude.json',
      text: '{"plugin:switchboard:switchboard',
      projectKeys: ['/'],
    })
    expect(runtimeReport(sources({ claudeVersionOutput: old, projectConfig: broken })).problems).toEqual([
      'Claude Code 2.1.197 predates hooks modules (2.1.287+): Switchboard runs as settings hooks, each a call to its MCP server. Update Claude Code (`claude update`) to run it inside Claude Code.',
    ])
  })

  it('prefers the version of the Claude Code it runs in (AI_AGENT) over the one on PATH', () => {
    const report = runtimeReport(
      sources({
        env: { AI_AGENT: 'claude-code_2-1-197_harness' },
        claudeVersionOutput: () => {
          throw new Error('must not run claude')
        },
      }),
    )
    expect(report).toMatchObject({
      claudeCode: { version: '2.1.197', source: 'this session (AI_AGENT)' },
      hooksModules: 'not supported',
      wouldRun: 'settings hooks',
    })
    expect(report.problems).toEqual([
      'Claude Code 2.1.197 predates hooks modules (2.1.287+): Switchboard runs as settings hooks, each a call to its MCP server. Update Claude Code (`claude update`) to run it inside Claude Code.',
    ])
  })

  it('the settings hooks when managed settings keep user mods out, the last file deciding', () => {
    const files = [{ file: '/etc/claude-code/managed-settings.json', text: modsOnly(true) }]
    expect(runtimeReport(sources({ managedSettings: () => files }))).toMatchObject({
      wouldRun: 'settings hooks',
      managed: [{ key: 'allowManagedModsOnly', file: '/etc/claude-code/managed-settings.json' }],
    })
    expect(runtimeReport(sources({ managedSettings: () => files })).problems[0]).toMatch(
      /^\/etc\/claude-code\/managed-settings.json sets allowManagedModsOnly: no hooks module you installed loads, so Switchboard runs as settings hooks\. Only your administrator/,
    )
    const overridden = [...files, { file: '/etc/claude-code/managed-settings.d/50-mods.json', text: modsOnly(false) }]
    expect(runtimeReport(sources({ managedSettings: () => overridden }))).toMatchObject({
      wouldRun: 'hooks module',
      managed: [],
      problems: [],
    })
    expect(
      runtimeReport(sources({ managedSettings: () => [{ file: 'm.json', text: modsOnly('true') }] })).wouldRun,
    ).toBe('hooks module') // only `true` switches it
  })

  it('nothing when managed settings switch every non-managed hook off', () => {
    for (const key of ['disableAllHooks', 'allowManagedHooksOnly']) {
      const report = runtimeReport(
        sources({ managedSettings: () => [{ file: 'm.json', text: JSON.stringify({ [key]: true }) }] }),
      )
      expect(report.wouldRun).toBe('none')
      expect(report.problems).toEqual([
        `m.json sets ${key}: Claude Code runs none of Switchboard's hooks (unless your organization enables Switchboard itself in its managed settings), so cross-plugin calls are not checked or traced. Only your administrator can change managed settings.`,
      ])
    }
  })

  it('says what it cannot tell, with the fix: no claude, a broken managed file, a last session that ran the other runtime', () => {
    const report = runtimeReport(
      sources({
        claudeVersionOutput: () => undefined,
        managedSettings: () => [{ file: 'm.json', text: '{"disableAllHooks": tr' }],
      }),
    )
    expect(report).toMatchObject({ claudeCode: null, hooksModules: 'unknown', wouldRun: 'unknown' })
    expect(report.problems).toEqual([
      'Claude Code not found: no `claude` on PATH answered `claude --version`. Run doctor where you run Claude Code (or in it: `!switchboard doctor`).',
      'm.json is not valid JSON, so doctor cannot tell what it switches off. Ask your administrator to fix it.',
    ])
    const mismatch = runtimeReport(sources({ lastSession: () => ({ id: 's-1', runtime: 'settings hooks' }) }))
    expect(mismatch.problems).toEqual([
      'The last session here ran the settings hooks, not the hooks module: it ran under another Claude Code or other settings. A new session runs the hooks module; if it does not, its SessionStart line and `switchboard trace` say which runtime ran.',
    ])
  })
})
