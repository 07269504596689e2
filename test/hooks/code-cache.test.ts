// The hot hooks (and SessionStart) compile with V8's code cache, kept in the data folder (scripts/code-cache.mjs): made
// on the first run, taken as it is on the next, made again when it is damaged or meets other code,
// and never needed: without a data folder, or with an unwritable one, the hook decides the same.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a build script, plain JavaScript
import { withCodeCache } from '../../scripts/code-cache.mjs'
import { hookSession, runHookSync } from '../helpers/hooks.ts'

const call = (sessionId: string, cwd: string, id: string, target = 'tdd-editor:editor') => ({
  session_id: sessionId,
  cwd,
  hook_event_name: 'PreToolUse',
  tool_name: 'Agent',
  tool_use_id: id,
  tool_input: { description: 'd', prompt: 'p', subagent_type: target },
})

describe('the code cache of the hot hooks', () => {
  it('is made once, reused, remade when damaged, and changes no decision', () => {
    const { home, env, sessionId, data } = hookSession('code-cache')
    const cacheDir = join(data, 'code-cache')
    const first = runHookSync('pre-tool-use', call(sessionId, home, 'toolu_1', 'tdd-editor:nobody'), env)
    // SessionStart (hookSession started the session) made its own.
    const cacheFile = (hook: string) => new RegExp(`^${hook}-[0-9a-f]{16}-${process.version}-${process.arch}\\.bin$`)
    expect(readdirSync(cacheDir).sort()).toEqual([
      expect.stringMatching(cacheFile('pre-tool-use')),
      expect.stringMatching(cacheFile('session-start')),
    ])
    const files = readdirSync(cacheDir).filter((file) => file.startsWith('pre-tool-use-'))
    const cache = join(cacheDir, files[0]!)
    expect(statSync(cache).mode & 0o777).toBe(0o600)
    const made = statSync(cache).mtimeMs
    const second = runHookSync('pre-tool-use', call(sessionId, home, 'toolu_2', 'tdd-editor:nobody'), env)
    expect(statSync(cache).mtimeMs).toBe(made) // taken as it is
    expect(second.stdout).toBe(first.stdout.replaceAll('toolu_1', 'toolu_2'))
    expect(first.stdout).toContain('"permissionDecision":"deny"')

    writeFileSync(cache, 'not a code cache')
    const damaged = runHookSync('pre-tool-use', call(sessionId, home, 'toolu_3', 'tdd-editor:nobody'), env)
    expect(damaged.stdout).toBe(first.stdout.replaceAll('toolu_1', 'toolu_3'))
    expect(readFileSync(cache, 'utf8')).not.toBe('not a code cache') // made again
  })

  it("sweeps a hook's caches from other builds when it makes its own, and leaves the rest", () => {
    const { home, env, sessionId, data } = hookSession('code-cache-sweep')
    const cacheDir = join(data, 'code-cache')
    const stale = [
      `pre-tool-use-0123456789abcdef-${process.version}-${process.arch}.bin`, // an earlier build
      'pre-tool-use-fedcba9876543210-v18.0.0-x64.bin', // an earlier build, another Node
    ]
    const kept = [
      'post-tool-use-0123456789abcdef-v18.0.0-x64.bin', // another hook's
      'pre-tool-use-notes.txt', // not a cache's name
    ]
    for (const file of [...stale, ...kept]) writeFileSync(join(cacheDir, file), 'old')
    runHookSync('pre-tool-use', call(sessionId, home, 'toolu_1', 'tdd-editor:nobody'), env)
    const after = readdirSync(cacheDir)
    for (const file of stale) expect(after).not.toContain(file)
    for (const file of kept) expect(after).toContain(file)
    const made = after.find((file) => file.startsWith('pre-tool-use-') && file.endsWith('.bin'))!
    // The same build under another Node version stays: only the code hash decides.
    const otherNode = made.replace(process.version, 'v99.0.0')
    writeFileSync(join(cacheDir, otherNode), 'old')
    writeFileSync(join(cacheDir, made), 'damaged, so it is made again')
    runHookSync('pre-tool-use', call(sessionId, home, 'toolu_2', 'tdd-editor:nobody'), env)
    expect(readdirSync(cacheDir)).toContain(otherNode)
  })

  it('is not needed: no data folder, or one it cannot write', () => {
    const { home, env, sessionId, data } = hookSession('no-cache')
    rmSync(join(data, 'code-cache'), { recursive: true }) // SessionStart's cache (hookSession started the session)
    writeFileSync(join(data, 'code-cache'), 'a file where the folder would go') // unwritable, even for root
    const denied = runHookSync('pre-tool-use', call(sessionId, home, 'toolu_1', 'tdd-editor:nobody'), env)
    expect(denied.code).toBe(0)
    expect(denied.stdout).toContain('"permissionDecision":"deny"')
    expect(denied.stderr).toBe('')
    const { SWITCHBOARD_DATA_DIR: _, ...noData } = env
    const plain = runHookSync(
      'subagent',
      { session_id: 's', cwd: home, hook_event_name: 'SubagentStop', agent_id: 'a', agent_type: 'x:y' },
      noData,
    )
    expect(plain.code).toBe(0)
  })

  it('is named by the code, so a cache never meets other code of the same length', () => {
    const key = (text: string) => /, "([^"]+)"\)\n$/.exec(withCodeCache(text, { entry: 'e.ts', name: 'h' }))![1]
    expect(key('a = 1')).not.toBe(key('a = 2'))
    expect(key('a = 1')).toBe(key('a = 1'))
  })
})
