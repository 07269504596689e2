import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { sessionDir } from '../../src/trace/index.ts'
import { HOOKS_PLUGIN, PLUGIN, REPO } from './cli.ts'
import { testdir } from './testdir.ts'

/** Where the hook bundles are: SessionStart's in Switchboard, the per-call ones in its companion switchboard-hooks. */
const HOOK_FOLDERS = [join(PLUGIN, 'hooks', 'bin'), join(HOOKS_PLUGIN, 'hooks', 'bin')]

/** A hook bundle's file: CommonJS (.cjs); .mjs for an ES module. */
const hookFile = (hook: string): string => {
  const files = HOOK_FOLDERS.flatMap((folder) => [`${hook}.cjs`, `${hook}.mjs`].map((f) => join(folder, f)))
  const found = files.find(existsSync)
  if (!found) throw new Error(`no bundle for the ${hook} hook in ${HOOK_FOLDERS.join(' or ')}; run npm run build`)
  return found
}

/** Runs a bundled hook as a real process with JSON on stdin (synchronously). */
export function runHookSync(hook: string, input: unknown, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [hookFile(hook)], {
    input: typeof input === 'string' ? input : JSON.stringify(input),
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Runs a bundled hook as a real process, asynchronously (for many at once). */
export function runHookAsync(
  hook: string,
  input: unknown,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [hookFile(hook)], { env: { PATH: process.env.PATH ?? '', ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c))
    child.stderr.on('data', (c: Buffer) => (stderr += c))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(JSON.stringify(input))
  })
}

/**
 * A session the bundled hooks share, as Claude Code would start it: a data folder, the example plugins
 * editor and design, and SessionStart run (so the registry snapshot exists). `home` is the project and
 * HOME (a policy file can be written there first); without one, a new folder.
 */
export function hookSession(
  sessionId: string,
  home?: string,
): { data: string; home: string; env: Record<string, string>; sessionId: string; dir: string } {
  const base = home ?? testdir()
  const data = home ? join(home, 'data') : base
  const env = {
    HOME: home ?? join(base, 'home'),
    SWITCHBOARD_DATA_DIR: data,
    SWITCHBOARD_PLUGIN_DIRS: ['tdd-editor', 'tdd-design'].map((p) => join(REPO, 'examples', p)).join(':'),
  }
  const cwd = home ?? data
  const start = runHookSync(
    'session-start',
    { session_id: sessionId, cwd, hook_event_name: 'SessionStart', source: 'startup' },
    env,
  )
  if (start.code !== 0) throw new Error(`SessionStart failed: ${start.stderr}`)
  return { data, home: cwd, env, sessionId, dir: sessionDir(data, sessionId) }
}
