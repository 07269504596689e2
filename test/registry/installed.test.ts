// Discovery of installed plugins from a Claude Code config folder shaped like the one 2.1.331 writes
// after `claude plugin marketplace add` + `claude plugin install` (docs/claude-code-notes.md).
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRegistry, claudeLocations } from '../../src/registry/index.ts'
import { readInstalledState } from '../../src/registry/installed.ts'
import { FIXTURES } from '../helpers/registry.ts'
import { copyFixture, testdir, writeFiles } from '../helpers/testdir.ts'

function installedHome() {
  const home = testdir()
  const config = join(home, 'custom-config')
  const cache = join(config, 'plugins', 'cache', 'team')
  copyFixture(join(FIXTURES, 'plugins', 'names'), join(cache, 'names', '0.3.0'))
  copyFixture(join(FIXTURES, 'plugins', 'orchestrated'), join(cache, 'orchestrated', '1.4.0'))
  copyFixture(join(FIXTURES, 'plugins', 'review-a'), join(cache, 'review-a', '1.0.0'))
  copyFixture(join(FIXTURES, 'plugins', 'no-manifest'), join(cache, 'no-manifest', 'abc123def456'))
  const project = join(home, 'project')
  const record = (plugin: string, version: string, extra: object = {}) => [
    {
      scope: 'user',
      installPath: join(cache, plugin, version),
      version,
      installedAt: '2026-11-24T10:00:00.000Z',
      lastUpdated: '2026-11-24T10:00:00.000Z',
      ...extra,
    },
  ]
  const files = {
    'custom-config/plugins/installed_plugins.json': {
      version: 2,
      plugins: {
        'names@team': record('names', '0.3.0'),
        'orchestrated@team': record('orchestrated', '1.4.0'),
        'review-a@team': record('review-a', '1.0.0', { scope: 'project', projectPath: project }),
        'no-manifest@team': record('no-manifest', 'abc123def456'),
        'vanished@team': record('vanished', '1.0.0'),
      },
    },
    'custom-config/plugins/known_marketplaces.json': {
      team: {
        source: { source: 'directory', path: '/somewhere' },
        installLocation: join(home, 'mkt'),
        lastUpdated: '2026-11-24T10:00:00.000Z',
      },
    },
    'mkt/.claude-plugin/marketplace.json': {
      name: 'team',
      owner: { name: 'Team' },
      plugins: [{ name: 'names', source: './names', description: 'Description from the marketplace entry' }],
    },
    'custom-config/settings.json': {
      enabledPlugins: { 'names@team': true, 'orchestrated@team': true, 'no-manifest@team': true, 'ghost@team': true },
    },
    'project/.claude/settings.json': { enabledPlugins: { 'orchestrated@team': false, 'review-a@team': true } },
    'project/.claude/settings.local.json': { enabledPlugins: { 'no-manifest@team': false } },
  }
  return { home, config, project, files }
}

describe('installed plugins', () => {
  const { home, config, project, files } = installedHome()
  writeFiles(home, files)
  const registry = buildRegistry({ cwd: project, env: { HOME: home, CLAUDE_CONFIG_DIR: config } })

  it('reads installed_plugins.json under CLAUDE_CONFIG_DIR, with the marketplace entry of each', () => {
    expect(
      registry.plugins.map((p) => `${p.key} ${p.origin} ${p.version} ${p.enabled ? 'enabled' : 'disabled'}`),
    ).toEqual([
      // In the order the merged enabledPlugins names them, which is Claude Code's load order.
      'names@team installed 0.3.0 enabled',
      'orchestrated@team installed 1.4.0 disabled',
      'no-manifest@team installed abc123def456 disabled',
      'review-a@team installed 1.0.0 enabled',
    ])
    expect(registry.plugins[0]?.description).toBe('Description from the marketplace entry')
  })

  it('applies enabledPlugins with local over project over user', () => {
    expect(registry.components.map((c) => c.plugin)).not.toContain('orchestrated')
    expect(registry.components.map((c) => c.plugin)).not.toContain('no-manifest')
    expect(registry.components.map((c) => c.id)).toContain('review-a:code-reviewer')
  })

  it('reports installs whose folder is gone and plugins enabled but not installed', () => {
    const messages = registry.diagnostics.map((d) => `${d.code}: ${d.message}`)
    expect(messages).toContain(
      `INSTALL_PATH_MISSING: "vanished@team" is recorded as installed at ${join(config, 'plugins', 'cache', 'team', 'vanished', '1.0.0')}, which does not exist. Reinstall it: claude plugin install vanished@team`,
    )
    expect(messages).toContain(
      'PLUGIN_ENABLED_NOT_INSTALLED: "ghost@team" is enabled but not installed, so Claude Code does not load it. Install it: claude plugin install ghost@team',
    )
  })

  it('ignores a project-scope install outside its project', () => {
    const elsewhere = buildRegistry({ cwd: home, env: { HOME: home, CLAUDE_CONFIG_DIR: config } })
    expect(elsewhere.plugins.map((p) => p.name)).not.toContain('review-a')
  })

  // Found by review (2.1.197 and 2.1.332): Claude Code loads a plugin installed for another project where this
  // project's settings enable it; the registry skipped it, and calls to it passed as no plugin's.
  it("takes another project's install of a plugin this project's settings enable", () => {
    const other = join(home, 'other')
    writeFiles(home, { 'other/.claude/settings.json': { enabledPlugins: { 'review-a@team': true } } })
    const enabledHere = buildRegistry({ cwd: other, env: { HOME: home, CLAUDE_CONFIG_DIR: config } })
    expect(enabledHere.plugins.map((p) => `${p.key} ${p.enabled ? 'enabled' : 'disabled'}`)).toContain(
      'review-a@team enabled',
    )
    expect(enabledHere.components.map((c) => c.id)).toContain('review-a:code-reviewer')
  })

  it('checks dependencies against installed versions', () => {
    const userOnly = buildRegistry({ cwd: home, env: { HOME: home, CLAUDE_CONFIG_DIR: config } })
    expect(userOnly.dependencies.diagnostics).toEqual([])
    expect(userOnly.dependencies.loadOrder.indexOf('names')).toBeLessThan(
      userOnly.dependencies.loadOrder.indexOf('orchestrated'),
    )
    expect(registry.dependencies.loadOrder).not.toContain('orchestrated') // disabled in this project
  })

  // Found by review, probed on 2.1.197 and 2.1.332: Claude Code drops a plugin whose dependency is disabled
  // ("Dependency "x" is disabled — enable it or remove the dependency"); the registry counted it as there.
  it('does not load a plugin whose dependency is disabled', () => {
    const here = join(home, 'names-off')
    writeFiles(home, { 'names-off/.claude/settings.json': { enabledPlugins: { 'names@team': false } } })
    const off = buildRegistry({ cwd: here, env: { HOME: home, CLAUDE_CONFIG_DIR: config } })
    const orchestrated = off.plugins.find((p) => p.name === 'orchestrated')!
    expect(orchestrated.loaded).toBe(false)
    expect(orchestrated.loadError).toBe(
      `dependency "names" is here (${join(config, 'plugins', 'cache', 'team', 'names', '0.3.0')}) but Claude Code does not load it: it is disabled. Enable it: claude plugin enable names@team, or remove the dependency`,
    )
    expect(off.components.map((c) => c.plugin)).not.toContain('orchestrated')
  })

  // Found by review, probed on 2.1.197 and 2.1.332: an install that no settings file names is not loaded;
  // the registry took it as enabled, so calls to a plugin Claude Code does not run passed the guard.
  it('does not load an install that no enabledPlugins entry names, and says how to enable it', () => {
    const here = join(home, 'unnamed')
    writeFiles(home, {
      'custom-config/plugins/installed_plugins.json': {
        ...files['custom-config/plugins/installed_plugins.json'],
        plugins: {
          ...files['custom-config/plugins/installed_plugins.json'].plugins,
          'unnamed@team': [
            { scope: 'user', installPath: join(config, 'plugins', 'cache', 'team', 'review-a', '1.0.0') },
          ],
        },
      },
    })
    const unnamed = buildRegistry({ cwd: here, env: { HOME: home, CLAUDE_CONFIG_DIR: config } })
    writeFiles(home, {
      'custom-config/plugins/installed_plugins.json': files['custom-config/plugins/installed_plugins.json'],
    })
    expect(unnamed.plugins.find((p) => p.key === 'unnamed@team')?.enabled).toBe(false)
    expect(unnamed.components.map((c) => c.plugin)).not.toContain('review-a')
    expect(unnamed.diagnostics.map((d) => d.message)).toContain(
      '"unnamed@team" is installed but no settings file\'s enabledPlugins names it, so Claude Code does not load it. Enable it: claude plugin enable unnamed@team',
    )
  })

  it('adds plugin folders from SWITCHBOARD_PLUGIN_DIRS and CLAUDE_CODE_PLUGIN_DIRS', () => {
    const withDirs = buildRegistry({
      cwd: project,
      env: {
        HOME: home,
        CLAUDE_CONFIG_DIR: config,
        SWITCHBOARD_PLUGIN_DIRS: join(FIXTURES, 'plugins', 'tool-shapes'),
        CLAUDE_CODE_PLUGIN_DIRS: join(FIXTURES, 'plugins', 'author-string'),
      },
    })
    expect(withDirs.plugins.slice(0, 2).map((p) => `${p.key} ${p.origin}`)).toEqual([
      'tool-shapes@inline plugin-dir',
      'author-string@inline plugin-dir',
    ])
  })

  it('survives a corrupt installed_plugins.json with a diagnostic', () => {
    const broken = testdir({ 'plugins/installed_plugins.json': '{"version": 2, "plugins": {' })
    const result = buildRegistry({ cwd: broken, env: { HOME: broken, CLAUDE_CONFIG_DIR: broken } })
    expect(result.plugins).toEqual([])
    expect(result.diagnostics.map((d) => d.code)).toEqual(['INSTALLED_PLUGINS_UNREADABLE'])
    expect(result.diagnostics[0]?.message).toContain('not valid JSON')
  })
})

// Found by review: Claude Code loads `<config>/skills/<folder>` holding .claude-plugin/plugin.json as a plugin
// (`<name>@skills-dir`, probed on 2.1.197 and 2.1.332); the registry did not look there.
describe("plugins in the user's skills folder", () => {
  it('are read as Claude Code loads them: a manifest one level down, named by the manifest', () => {
    const home = testdir()
    writeFiles(home, {
      '.claude/skills/userplug/.claude-plugin/plugin.json': '{"name": "userplug", "version": "1.0.0"}',
      '.claude/skills/userplug/agents/ua.md': '---\nname: ua\ndescription: UA\n---\nU\n',
      '.claude/skills/renamed/.claude-plugin/plugin.json': '{"name": "othername"}',
      '.claude/skills/renamed/agents/ra.md': '---\nname: ra\ndescription: RA\n---\nR\n',
      '.claude/skills/nomanifest/.claude-plugin/marketplace.json': '{}',
      '.claude/skills/nomanifest/agents/nb.md': '---\nname: nb\ndescription: NB\n---\nN\n',
      '.claude/skills/deep/inner/.claude-plugin/plugin.json': '{"name": "deepplug"}',
      '.claude/skills/plainskill/SKILL.md': '---\nname: plainskill\ndescription: P\n---\nP\n',
    })
    const registry = buildRegistry({ cwd: join(home, 'project'), env: { HOME: home } })
    expect(registry.plugins.map((p) => `${p.key} ${p.origin}`)).toEqual([
      'othername@skills-dir skills-dir',
      'userplug@skills-dir skills-dir',
    ])
    expect(registry.components.map((c) => c.id)).toEqual(['othername:ra', 'userplug:ua'])
    expect(registry.watched).toContain(join(home, '.claude', 'skills', 'plainskill', '.claude-plugin', 'plugin.json'))
  })

  // Probed on 2.1.197 and 2.1.332: `<name>@skills-dir: false` in enabledPlugins, or defaultEnabled false in its
  // plugin.json, keeps Claude Code from loading it; the registry listed it all the same.
  it('are disabled by enabledPlugins under <name>@skills-dir, or by their own defaultEnabled', () => {
    const home = testdir()
    writeFiles(home, {
      '.claude/settings.json': { enabledPlugins: { 'named@skills-dir': false } },
      '.claude/skills/folder/.claude-plugin/plugin.json': '{"name": "named"}',
      '.claude/skills/folder/agents/na.md': '---\nname: na\ndescription: NA\n---\nN\n',
      '.claude/skills/quiet/.claude-plugin/plugin.json': '{"name": "quiet", "defaultEnabled": false}',
      '.claude/skills/quiet/agents/qa.md': '---\nname: qa\ndescription: QA\n---\nQ\n',
      '.claude/skills/open/.claude-plugin/plugin.json': '{"name": "open"}',
      '.claude/skills/open/agents/oa.md': '---\nname: oa\ndescription: OA\n---\nO\n',
    })
    const registry = buildRegistry({ cwd: join(home, 'project'), env: { HOME: home } })
    expect(registry.plugins.map((p) => `${p.key} ${p.enabled}`)).toEqual([
      'named@skills-dir false',
      'open@skills-dir true',
      'quiet@skills-dir false',
    ])
    expect(registry.components.map((c) => c.id)).toEqual(['open:oa'])
  })
})

// Found by review: of two installed plugins of one name, the first found stood even where it was disabled, so
// the enabled one Claude Code loads (probed on 2.1.197 and 2.1.332) had every call refused.
describe('two installed plugins of one name', () => {
  const twins = (enabledPlugins: Record<string, boolean>) => {
    const home = testdir()
    const cache = join(home, '.claude', 'plugins', 'cache')
    const record = (market: string) => [
      {
        scope: 'user',
        installPath: join(cache, market, 'foo', '1.0.0'),
        version: '1.0.0',
        installedAt: 'x',
        lastUpdated: 'x',
      },
    ]
    writeFiles(home, {
      '.claude/plugins/installed_plugins.json': {
        version: 2,
        plugins: { 'foo@ma': record('ma'), 'foo@mb': record('mb') },
      },
      '.claude/settings.json': { enabledPlugins },
      '.claude/plugins/cache/ma/foo/1.0.0/.claude-plugin/plugin.json': '{"name": "foo"}',
      '.claude/plugins/cache/ma/foo/1.0.0/agents/from-a.md': '---\nname: from-a\ndescription: A\n---\nA\n',
      '.claude/plugins/cache/ma/foo/1.0.0/agents/same.md': '---\nname: same\ndescription: same, from ma\n---\nA\n',
      '.claude/plugins/cache/mb/foo/1.0.0/.claude-plugin/plugin.json': '{"name": "foo"}',
      '.claude/plugins/cache/mb/foo/1.0.0/agents/from-b.md': '---\nname: from-b\ndescription: B\n---\nB\n',
      '.claude/plugins/cache/mb/foo/1.0.0/agents/same.md': '---\nname: same\ndescription: same, from mb\n---\nB\n',
    })
    return buildRegistry({ cwd: join(home, 'project'), env: { HOME: home } })
  }

  // Found by review: the first found stood even where it was disabled, so the enabled one Claude Code loads
  // (probed on 2.1.197 and 2.1.332) had every call refused.
  it('lists the enabled one where the other is disabled', () => {
    const registry = twins({ 'foo@ma': false, 'foo@mb': true })
    expect(registry.components.map((c) => c.id)).toEqual(['foo:from-b', 'foo:same'])
    expect(registry.diagnostics.map((d) => d.code)).not.toContain('PLUGIN_NAME_SHARED')
  })

  // Probed on 2.1.197 and 2.1.332: both enabled, Claude Code loads both into one namespace, in the order the
  // settings name them, and runs the later one's agent for an id both define.
  it('lists both where both are enabled, the later in enabledPlugins answering to an id both define', () => {
    const aThenB = twins({ 'foo@ma': true, 'foo@mb': true })
    expect(aThenB.components.map((c) => `${c.id} ${c.description}`)).toEqual([
      'foo:from-a A',
      'foo:from-b B',
      'foo:same same, from mb',
    ])
    expect(aThenB.diagnostics.map((d) => d.code)).toContain('PLUGIN_NAME_SHARED')
    const bThenA = twins({ 'foo@mb': true, 'foo@ma': true })
    expect(bThenA.components.find((c) => c.id === 'foo:same')?.description).toBe('same, from ma')
  })
})

// Probed on 2.1.197 and 2.1.332 (managed settings in /etc/claude-code): the organization's enabledPlugins win
// over every scope, true force-enabling and false blocking; the registry read the user's scopes alone.
describe("the organization's managed settings", () => {
  it('win over every other scope of enabledPlugins, and are watched with their drop-in folder', () => {
    const home = testdir({
      '.claude/settings.json': { enabledPlugins: { 'a@m': true, 'b@m': true, 'c@m': false } },
      'etc/managed-settings.json': { enabledPlugins: { 'a@m': false } },
      'etc/managed-settings.d/10-team.json': { enabledPlugins: { 'c@m': true } },
    })
    const locations = claudeLocations({ HOME: home }, join(home, 'project'))
    const etc = join(home, 'etc')
    const state = readInstalledState(locations, {
      files: [join(etc, 'managed-settings.json'), join(etc, 'managed-settings.d', '10-team.json')],
      dropIns: join(etc, 'managed-settings.d'),
    })
    expect(Object.fromEntries([...state.enabled].map(([key, { value }]) => [key, value]))).toEqual({
      'a@m': false,
      'b@m': true,
      'c@m': true,
    })
    expect(state.files).toContain(join(etc, 'managed-settings.d'))
    expect(state.files).toContain(join(etc, 'managed-settings.d', '10-team.json'))
  })
})
