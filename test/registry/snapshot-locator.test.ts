// The hooks module names and checks the session's snapshot by the rules the SessionStart hook follows
// (registry/snapshot-locator.ts), with POSIX text rules where the hook has Node's path module: both
// must name the same file, or the module would judge with a snapshot the hook would not choose.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { registryKey } from '../../src/registry/registry-key.ts'
import {
  hashKey,
  isClaudeCodeArgv,
  pluginDirsOfArgv,
  POSIX_PATHS,
  registryKeyWith,
} from '../../src/registry/snapshot-locator.ts'

describe('the snapshot a session uses, named in both runtimes', () => {
  const cwds = ['/work/project', '/work/project/', '/', '/a/b/../c']
  const envs = [
    { HOME: '/home/ada' },
    { HOME: '/home/ada/', CLAUDE_CONFIG_DIR: 'relative/config' },
    { HOME: '/home/ada', CLAUDE_CONFIG_DIR: '/etc/../claude//config/', CLAUDE_CODE_PLUGIN_CACHE_DIR: '../cache' },
    { HOME: '/home/ada', CLAUDE_PROJECT_DIR: './sub/./dir', SWITCHBOARD_PLUGIN_DIRS: 'one:/abs/two: :../three/' },
    { HOME: '/h', CLAUDE_CODE_PLUGIN_DIRS: '/p/a::/p/b/.', SWITCHBOARD_DATA_DIR: '/data' },
  ]
  const pluginDirLists = [[], ['plugin'], ['/abs/plugin/', '../up', './here/./there']]

  it('gives the same key as the hook, for every environment, folder and plugin list', () => {
    let compared = 0
    for (const cwd of cwds)
      for (const env of envs)
        for (const pluginDirs of pluginDirLists) {
          const sources = { cwd, env, pluginDirs }
          expect(registryKeyWith(POSIX_PATHS, sources, env.HOME)).toEqual(registryKey(sources))
          compared++
        }
    expect(compared).toBe(cwds.length * envs.length * pluginDirLists.length)
  })

  // Found by review: with the plugins folder moved, a snapshot of the first folder was "up to date" for the second.
  it('names another snapshot for another plugins folder, and the same one where none is set', () => {
    const at = (env: Record<string, string>) => hashKey(registryKey({ cwd: '/w', env: { HOME: '/h', ...env } }))
    expect(at({ CLAUDE_CODE_PLUGIN_CACHE_DIR: '/a' })).not.toBe(at({ CLAUDE_CODE_PLUGIN_CACHE_DIR: '/b' }))
    expect(at({})).toBe(at({ CLAUDE_CODE_PLUGIN_CACHE_DIR: '' }))
    expect(registryKey({ cwd: '/w', env: { HOME: '/h' } })).not.toHaveProperty('pluginsRoot')
  })

  it('hashes a key as the hook did with node:crypto, so snapshots written before keep their names', () => {
    const key = registryKey({ cwd: '/work/project', env: { HOME: '/home/ada' }, pluginDirs: ['/p'] })
    const before = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16)
    expect(hashKey(key)).toBe(before)
  })

  it("reads Claude Code's command line as the hook does: each --plugin-dir, made absolute, .zip skipped", () => {
    const argv = [
      '/usr/bin/claude',
      '-p',
      'hi',
      '--plugin-dir',
      'rel/x',
      '--plugin-dir=/abs/y/',
      '--plugin-dir',
      'z.zip',
    ]
    expect(isClaudeCodeArgv(argv)).toBe(true)
    expect(pluginDirsOfArgv(argv, '/work')).toEqual(['/work/rel/x', '/abs/y'])
    expect(isClaudeCodeArgv(['/usr/bin/node', 'other.js', '--plugin-dir', 'x'])).toBe(false)
  })
})
