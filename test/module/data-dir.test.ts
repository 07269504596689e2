// How the hooks module finds the data folder Claude Code gives Switchboard's hooks (module/data-dir.ts):
// from `$.process.hookEnv()`, or where that fails by the folders' own records, against real folders
// through a `$` that reads them with node:fs.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findDataDir, pluginDataOf } from '../../src/module/data-dir.ts'
import type { Engine } from '../../src/module/mod-api.ts'
import { testdir } from '../helpers/testdir.ts'

/** The slice of `$` findDataDir uses, on the real file system. */
function engine(root: string): Engine {
  const missing = async (path: string) => {
    throw new Error(`$.fs.read(${path}) failed: ENOENT`)
  }
  return {
    fs: {
      read: async (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : missing(path)),
      list: async (path: string) =>
        readdirSync(path, { withFileTypes: true }).map((d) => ({ name: d.name, kind: 'dir' })),
      exists: async (path: string) => existsSync(path),
    },
    plugin: { name: 'switchboard', root },
  } as unknown as Engine
}

function dataFolder(home: string, name: string, pluginRoot?: string, session?: string): string {
  const dir = join(home, '.claude', 'plugins', 'data', name)
  mkdirSync(dir, { recursive: true })
  if (pluginRoot) writeFileSync(join(dir, 'plugin-root'), pluginRoot)
  if (session) {
    mkdirSync(join(dir, 'sessions', session), { recursive: true })
    writeFileSync(join(dir, 'sessions', session, 'registry-path'), '/x/registry-1.json')
  }
  return dir
}

describe("the hooks module's data folder", () => {
  it('is CLAUDE_PLUGIN_DATA as $.process.hookEnv gives it, where it can: no guess among folders; SWITCHBOARD_DATA_DIR still first', async () => {
    const home = testdir()
    // Folders that would mislead a guess: the given folder wins over all of them.
    dataFolder(home, 'switchboard-inline', '/src/switchboard/plugin', 'session-1')
    const given = join(home, '.claude', 'plugins', 'data', 'switchboard-market')
    const $ = engine('/src/switchboard/plugin')
    expect(await findDataDir($, { HOME: home }, '/work', { session: 'session-1' }, given)).toBe(given)
    expect(await findDataDir($, { HOME: home }, '/work', { inline: true }, given)).toBe(given)
    expect(
      await findDataDir($, { HOME: home, SWITCHBOARD_DATA_DIR: '/explicit' }, '/work', { inline: true }, given),
    ).toBe('/explicit')
  })

  it('is SWITCHBOARD_DATA_DIR when set, resolved against the session folder as Node resolves it', async () => {
    const home = testdir()
    const $ = engine('/plugins/switchboard')
    expect(
      await findDataDir($, { HOME: home, SWITCHBOARD_DATA_DIR: 'state/../data' }, '/work', { inline: true }, undefined),
    ).toBe('/work/data')
  })

  it('at session start: the folder naming this plugin, <name>-inline for a --plugin-dir plugin', async () => {
    const home = testdir()
    const inline = dataFolder(home, 'switchboard-inline', '/src/switchboard/plugin')
    const installed = dataFolder(home, 'switchboard-market', '/cache/market/switchboard/1.0.0')
    dataFolder(home, 'other-inline', '/src/switchboard/plugin') // another plugin's folder: never ours
    const env = { HOME: home }
    expect(await findDataDir(engine('/src/switchboard/plugin'), env, '/work', { inline: true }, undefined)).toBe(inline)
    expect(
      await findDataDir(engine('/cache/market/switchboard/1.0.0'), env, '/work', { inline: false }, undefined),
    ).toBe(installed)
    // The inline folder names another checkout (its hook ran last): not ours, so the hook runs.
    expect(await findDataDir(engine('/elsewhere/plugin'), env, '/work', { inline: true }, undefined)).toBeUndefined()
  })

  it('at session start: none when two installed folders name this plugin, or none does', async () => {
    const home = testdir()
    dataFolder(home, 'switchboard-one', '/shared/plugin')
    dataFolder(home, 'switchboard-two', '/shared/plugin')
    expect(
      await findDataDir(engine('/shared/plugin'), { HOME: home }, '/work', { inline: false }, undefined),
    ).toBeUndefined()
    expect(
      await findDataDir(engine('/not/named'), { HOME: testdir() }, '/work', { inline: false }, undefined),
    ).toBeUndefined()
  })

  it("for a session's state: the folder holding that session's snapshot pointer, under CLAUDE_CODE_PLUGIN_CACHE_DIR too", async () => {
    const home = testdir()
    dataFolder(home, 'switchboard-inline', '/a', 'other-session')
    const ours = dataFolder(home, 'switchboard-market', '/b', 'session-1')
    expect(await findDataDir(engine('/b'), { HOME: home }, '/work', { session: 'session-1' }, undefined)).toBe(ours)
    const cache = testdir()
    const moved = join(cache, 'data', 'switchboard-inline')
    mkdirSync(join(moved, 'sessions', 'session-2'), { recursive: true })
    writeFileSync(join(moved, 'sessions', 'session-2', 'registry-path'), '/x')
    writeFileSync(join(moved, 'plugin-root'), '/c')
    expect(
      await findDataDir(
        engine('/c'),
        { HOME: home, CLAUDE_CODE_PLUGIN_CACHE_DIR: cache },
        '/work',
        { session: 'session-2' },
        undefined,
      ),
    ).toBe(moved)
  })

  it("for a session's state: never another plugin's folder named switchboard-*, whatever its hooks wrote there", async () => {
    const home = testdir()
    // Where hookEnv cannot tell the folder: the guess among the folders, for session-1.
    const guessFor = (h: string) =>
      findDataDir(engine('/src/switchboard/plugin'), { HOME: h }, '/work', { session: 'session-1' }, undefined)
    // A plugin `switchboard-extras` of marketplace `evil`: its hooks know the session id, and write a
    // pointer to a snapshot of their own making (one that makes a private component public, say).
    const hostile = dataFolder(home, 'switchboard-extras-evil', '/cache/evil/switchboard-extras/1.0.0', 'session-1')
    expect(await guessFor(home)).toBe(undefined)
    // It may even name our plugin folder: then two folders claim the session, and the module stands back.
    writeFileSync(join(hostile, 'plugin-root'), '/src/switchboard/plugin')
    const ours = dataFolder(home, 'switchboard-inline', '/src/switchboard/plugin', 'session-1')
    expect(await guessFor(home)).toBe(undefined)
    writeFileSync(join(hostile, 'plugin-root'), '/cache/evil/switchboard-extras/1.0.0')
    expect(await guessFor(home)).toBe(ours)
  })
})

describe('pluginDataOf', () => {
  const withHookEnv = (hookEnv: unknown) => ({ process: { hookEnv } }) as unknown as Engine
  it('is CLAUDE_PLUGIN_DATA as hookEnv answers it, and undefined where it cannot be had: then the module guesses', async () => {
    expect(await pluginDataOf(withHookEnv(async () => ({ CLAUDE_PLUGIN_DATA: '/data/switchboard-m' })))).toBe(
      '/data/switchboard-m',
    )
    expect(await pluginDataOf(withHookEnv(async () => ({ CLAUDE_PLUGIN_DATA: '' })))).toBeUndefined()
    expect(await pluginDataOf(withHookEnv(async () => ({})))).toBeUndefined()
    expect(
      await pluginDataOf(
        withHookEnv(async () => {
          throw new Error('cannot make the data folder')
        }),
      ),
    ).toBeUndefined()
    expect(await pluginDataOf({} as Engine)).toBeUndefined() // a Claude Code whose `$` has no process noun
  })
})
