import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'

export const REPO = resolve(import.meta.dirname, '..', '..')
/** The plugin as Claude Code loads it: the folder the marketplace installs. */
export const PLUGIN = join(REPO, 'plugin')
export const CLI = join(PLUGIN, 'bin', 'switchboard')

/** Runs the bundled CLI as a real process with plain node, in an environment with nothing installed. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; bin?: string } = {}) {
  const result = spawnSync(process.execPath, [options.bin ?? CLI, ...args], {
    cwd: options.cwd ?? REPO,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: join(REPO, 'test', 'fixtures', 'no-home'), ...options.env },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}
