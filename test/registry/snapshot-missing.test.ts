// A source the registry looked for and did not find must stay watched: each of these diagnostics asks the
// person to create something, and the snapshot must notice when they do (found by review: all of these
// stayed "fresh" with the diagnostic and without the plugin or component).
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isSnapshotFresh, syncSnapshot } from '../../src/registry/index.ts'
import type { RegistryOptions } from '../../src/registry/index.ts'
import { FIXTURES } from '../helpers/registry.ts'
import { copyFixture, testdir, writeFiles } from '../helpers/testdir.ts'

/** Moves a folder's mtime forward so an added entry shows even within one mtime tick. */
function touch(path: string): void {
  const later = new Date(Date.now() + 5_000)
  utimesSync(path, later, later)
}

function expectStaleAfter(options: RegistryOptions, change: () => void) {
  const { snapshot } = syncSnapshot({ ...options, force: true })
  expect(isSnapshotFresh(snapshot)).toBe(true)
  change()
  expect(isSnapshotFresh(snapshot)).toBe(false)
  return { before: snapshot, after: syncSnapshot(options).snapshot }
}

const ids = (snapshot: { components: Array<{ id: string }> }) => snapshot.components.map((c) => c.id)
const codes = (snapshot: { diagnostics: Array<{ code: string }> }) => snapshot.diagnostics.map((d) => d.code)

describe('a registry source that was missing, then created', () => {
  it('a plugin folder given by --plugin-dir (SWITCHBOARD_PLUGIN_DIRS)', () => {
    const root = testdir()
    const later = join(root, 'plugins', 'names')
    const env = { HOME: join(root, 'home'), SWITCHBOARD_DATA_DIR: join(root, 'data'), SWITCHBOARD_PLUGIN_DIRS: later }
    const { before, after } = expectStaleAfter({ cwd: root, env }, () => {
      copyFixture(join(FIXTURES, 'plugins', 'names'), later)
      touch(dirname(later))
    })
    expect(codes(before)).toContain('PLUGIN_DIR_MISSING')
    expect(ids(after)).toContain('names:front-name')
  })

  it('a component path plugin.json lists, in a folder that exists, and a hooks file it lists', () => {
    const root = testdir()
    const plugin = copyFixture(join(FIXTURES, 'plugins', 'names'), join(root, 'plugins', 'names'))
    writeFiles(plugin, {
      '.claude-plugin/plugin.json': { name: 'names', agents: ['./extra/reviewer.md'], hooks: './config/hooks.json' },
      'extra/.keep': '',
      'config/.keep': '',
    })
    const env = { HOME: join(root, 'home'), SWITCHBOARD_DATA_DIR: join(root, 'data'), SWITCHBOARD_PLUGIN_DIRS: plugin }
    const { before, after } = expectStaleAfter({ cwd: root, env }, () =>
      writeFileSync(join(plugin, 'extra', 'reviewer.md'), '---\nname: reviewer\ndescription: Reviews\n---\nBody\n'),
    )
    expect(codes(before)).toContain('COMPONENT_PATH_NOT_FOUND')
    expect(ids(after)).toContain('names:reviewer')
    const { after: hooked } = expectStaleAfter({ cwd: root, env }, () =>
      writeFileSync(join(plugin, 'config', 'hooks.json'), '[]'),
    )
    expect(hooked.plugins[0]).toMatchObject({ loaded: false }) // a list: Claude Code does not load the plugin
  })

  it("a marketplace root's marketplace.json, and a plugin folder its entry points to", () => {
    const root = testdir()
    const market = join(root, 'market')
    mkdirSync(market)
    const options = {
      cwd: root,
      env: { HOME: join(root, 'home'), SWITCHBOARD_DATA_DIR: join(root, 'data') },
      installed: false,
      marketplaceRoots: [market],
    }
    const { before, after } = expectStaleAfter(options, () =>
      writeFiles(market, {
        '.claude-plugin/marketplace.json': {
          name: 'team',
          owner: { name: 'Team' },
          plugins: [{ name: 'names', source: './names' }],
        },
      }),
    )
    expect(codes(before)).toContain('MARKETPLACE_MISSING')
    expect(codes(after)).toContain('MARKETPLACE_SOURCE_MISSING')
    const { after: found } = expectStaleAfter(options, () => {
      copyFixture(join(FIXTURES, 'plugins', 'names'), join(market, 'names'))
      touch(market)
    })
    expect(ids(found)).toContain('names:front-name')
  })

  it('an installed plugin whose install folder appears again', () => {
    const home = testdir()
    const installPath = join(home, '.claude', 'plugins', 'cache', 'team', 'names', '0.3.0')
    writeFiles(home, {
      '.claude/plugins/installed_plugins.json': {
        version: 2,
        plugins: {
          'names@team': [{ scope: 'user', installPath, version: '0.3.0', installedAt: '2026-11-24T10:00:00.000Z' }],
        },
      },
      '.claude/settings.json': { enabledPlugins: { 'names@team': true } },
    })
    const options = { cwd: join(home, 'project'), env: { HOME: home, SWITCHBOARD_DATA_DIR: join(home, 'data') } }
    const { before, after } = expectStaleAfter(options, () => {
      copyFixture(join(FIXTURES, 'plugins', 'names'), installPath)
      touch(dirname(installPath))
    })
    expect(codes(before)).toContain('INSTALL_PATH_MISSING')
    expect(ids(after)).toContain('names:front-name')
  })
})
