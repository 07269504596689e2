// SessionStart's process (the one hook that is a process of its own; `hot` in scripts/build.mjs) compiles with V8's code cache, kept in the data folder (scripts/code-cache.mjs): made
// on the first run, taken as it is on the next, made again when it is damaged or meets other code,
// and never needed: without a data folder, or with an unwritable one, the hook decides the same.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a build script, plain JavaScript
import { withCodeCache } from '../../scripts/code-cache.mjs'
import { hookSession, runHookSync } from '../helpers/hooks.ts'
import { testdir } from '../helpers/testdir.ts'
import { PLUGIN } from '../helpers/cli.ts'

/** SessionStart again for the session (a resume): the hook's decisions, from a fresh snapshot. */
const start = (sessionId: string, cwd: string) => ({
  session_id: sessionId,
  cwd,
  hook_event_name: 'SessionStart',
  source: 'resume',
})

describe("the code cache of SessionStart's process", () => {
  it('is made once, reused, remade when damaged, and changes no decision', () => {
    // hookSession ran SessionStart once: it made its cache.
    const { home, env, sessionId, data } = hookSession('code-cache')
    const cacheDir = join(data, 'code-cache')
    const cacheFile = (hook: string) => new RegExp(`^${hook}-[0-9a-f]{16}-${process.version}-${process.arch}\\.bin$`)
    expect(readdirSync(cacheDir)).toEqual([expect.stringMatching(cacheFile('session-start'))])
    const cache = join(cacheDir, readdirSync(cacheDir)[0]!)
    expect(statSync(cache).mode & 0o777).toBe(0o600)
    const made = statSync(cache).mtimeMs
    const first = runHookSync('session-start', start(sessionId, home), env)
    expect(statSync(cache).mtimeMs).toBe(made) // taken as it is
    expect(first.stdout).toContain('can be called across plugins')

    writeFileSync(cache, 'not a code cache')
    const damaged = runHookSync('session-start', start(sessionId, home), env)
    expect(damaged.stdout).toBe(first.stdout)
    expect(readFileSync(cache, 'utf8')).not.toBe('not a code cache') // made again
  })

  it("sweeps a hook's caches from other builds when it makes its own, and leaves the rest", () => {
    const { home, env, sessionId, data } = hookSession('code-cache-sweep')
    const cacheDir = join(data, 'code-cache')
    const stale = [
      `session-start-0123456789abcdef-${process.version}-${process.arch}.bin`, // an earlier build
      'session-start-fedcba9876543210-v18.0.0-x64.bin', // an earlier build, another Node
    ]
    const kept = [
      'pre-tool-use-0123456789abcdef-v18.0.0-x64.bin', // another hook's (an earlier version's per-call hook)
      'session-start-notes.txt', // not a cache's name
    ]
    const own = readdirSync(cacheDir)[0]!
    writeFileSync(join(cacheDir, own), 'damaged, so it is made again')
    for (const file of [...stale, ...kept]) writeFileSync(join(cacheDir, file), 'old')
    runHookSync('session-start', start(sessionId, home), env)
    const after = readdirSync(cacheDir)
    for (const file of stale) expect(after).not.toContain(file)
    for (const file of kept) expect(after).toContain(file)
    const made = after.find((file) => file.startsWith('session-start-') && file.endsWith('.bin'))!
    // The same build under another Node version stays: only the code hash decides.
    const otherNode = made.replace(process.version, 'v99.0.0')
    writeFileSync(join(cacheDir, otherNode), 'old')
    writeFileSync(join(cacheDir, made), 'damaged, so it is made again')
    runHookSync('session-start', start(sessionId, home), env)
    expect(readdirSync(cacheDir)).toContain(otherNode)
  })

  it('is not needed: no data folder, or one it cannot write', () => {
    const { home, env, sessionId, data } = hookSession('no-cache')
    rmSync(join(data, 'code-cache'), { recursive: true }) // SessionStart's cache (hookSession started the session)
    writeFileSync(join(data, 'code-cache'), 'a file where the folder would go') // unwritable, even for root
    const started = runHookSync('session-start', start(sessionId, home), env)
    expect(started.code).toBe(0)
    expect(started.stdout).toContain('can be called across plugins')
    expect(started.stderr).toBe('')
    const { SWITCHBOARD_DATA_DIR: _, ...noData } = env
    const plain = runHookSync('session-start', start('s', home), { ...noData, HOME: testdir() })
    expect(plain.code).toBe(0)
  })

  // Found by review: a cache is code (V8 checks its version, flags and the source's length, not its bytes), and a
  // pipe at its name held the hook until Claude Code's timeout. Neither a pipe nor the project's own folder is read.
  it('does not wait on a pipe at its name, and is not kept inside the project', () => {
    const { home, env, sessionId, data } = hookSession('cache-planted')
    const cacheDir = join(data, 'code-cache')
    const own = join(cacheDir, readdirSync(cacheDir)[0]!)
    rmSync(own)
    execFileSync('mkfifo', [own])
    const input = JSON.stringify(start(sessionId, home))
    const hook = join(PLUGIN, 'hooks', 'bin', 'session-start.cjs')
    const piped = spawnSync(process.execPath, [hook], { input, encoding: 'utf8', env: { ...env }, timeout: 15_000 })
    expect(piped.error).toBeUndefined()
    expect(piped.status).toBe(0)
    expect(piped.stdout).toContain('can be called across plugins')

    const project = testdir()
    const inside = join(project, '.switchboard-data')
    const inProject = { ...env, SWITCHBOARD_DATA_DIR: inside, CLAUDE_PROJECT_DIR: project }
    expect(runHookSync('session-start', start('p1', project), inProject).code).toBe(0)
    expect(existsSync(join(inside, 'code-cache'))).toBe(false)
  })

  it('is named by the code, so a cache never meets other code of the same length', () => {
    const key = (text: string) => /, "([^"]+)"\)\n$/.exec(withCodeCache(text, { entry: 'e.ts', name: 'h' }))![1]
    expect(key('a = 1')).not.toBe(key('a = 2'))
    expect(key('a = 1')).toBe(key('a = 1'))
  })
})
