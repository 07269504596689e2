import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readProjectConfig } from '../../src/registry/claude-config.ts'
import { testdir, writeFiles } from '../helpers/testdir.ts'

const SERVER = 'plugin:switchboard:switchboard'
/** A config file that names the server somewhere (the reader looks no further in one that does not). */
const naming = (rest = '') => `{"projects": {}, "note": "${SERVER}"${rest}}`

// Where Claude Code keeps the person's /mcp switches (2.1.197, read from its code; the key probed end to
// end in test/e2e/runtimes.e2e.test.ts).
describe("Claude Code's config file, as doctor and SessionStart find it", () => {
  it('is .claude.json in the home folder, keyed by the session folder outside a repository', () => {
    const root = testdir({ 'home/.claude.json': naming() })
    mkdirSync(join(root, 'work', 'app'), { recursive: true })
    const config = readProjectConfig({ HOME: join(root, 'home') }, join(root, 'work', 'app'), SERVER)
    expect(config).toEqual({
      file: join(root, 'home', '.claude.json'),
      text: naming(),
      projectKeys: [join(root, 'work', 'app')],
    })
  })

  it("is keyed by the repository's folder from a folder inside it, and a worktree's by its main checkout too", () => {
    const root = testdir({ 'home/.claude.json': naming(), 'repo/src/deep/file.ts': '' })
    mkdirSync(join(root, 'repo', '.git'))
    const env = { HOME: join(root, 'home') }
    expect(readProjectConfig(env, join(root, 'repo', 'src', 'deep'), SERVER)?.projectKeys).toEqual([join(root, 'repo')])
    writeFiles(root, { 'tree/.git': `gitdir: ${join(root, 'repo', '.git', 'worktrees', 'tree')}\n` })
    expect(readProjectConfig(env, join(root, 'tree'), SERVER)?.projectKeys).toEqual([
      join(root, 'tree'),
      join(root, 'repo'),
    ])
    // A .git file that names no worktree (a submodule's) adds nothing.
    writeFiles(root, { 'sub/.git': 'gitdir: ../repo/.git/modules/sub\n' })
    expect(readProjectConfig(env, join(root, 'sub'), SERVER)?.projectKeys).toEqual([join(root, 'sub')])
  })

  it('is in $CLAUDE_CONFIG_DIR where that is set, and the legacy .config.json wins where it exists', () => {
    const root = testdir({ 'config/.claude.json': naming(', "a": 1'), 'home/.claude.json': naming(', "b": 2') })
    const env = { HOME: join(root, 'home'), CLAUDE_CONFIG_DIR: join(root, 'config') }
    expect(readProjectConfig(env, root, SERVER)?.text).toBe(naming(', "a": 1'))
    writeFiles(root, { 'config/.config.json': naming(', "c": 3') })
    expect(readProjectConfig(env, root, SERVER)).toMatchObject({
      file: join(root, 'config', '.config.json'),
      text: naming(', "c": 3'),
    })
  })

  it('is undefined where there is no file, where it never names the server, or past the size asked', () => {
    const root = testdir()
    expect(readProjectConfig({ HOME: join(root, 'nobody') }, root, SERVER)).toBeUndefined()
    // A file of hundreds of megabytes is searched as bytes, and decoded only where it names the server.
    writeFiles(root, { 'home/.claude.json': '{"projects": {}}' })
    expect(readProjectConfig({ HOME: join(root, 'home') }, root, SERVER)).toBeUndefined()
    writeFiles(root, { 'home/.claude.json': naming() })
    expect(readProjectConfig({ HOME: join(root, 'home') }, root, SERVER, 10)).toBeUndefined()
    expect(readProjectConfig({ HOME: join(root, 'home') }, root, SERVER, 1_000)).toBeDefined()
  })
})
