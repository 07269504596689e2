import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'

export const REPO = resolve(import.meta.dirname, '..', '..')
/** The plugin as Claude Code loads it: the folder the marketplace installs. */
export const PLUGIN = join(REPO, 'plugin')
/** Its companion switchboard-hooks: the per-call settings hooks, for where the hooks module does not load. */
export const HOOKS_PLUGIN = join(REPO, 'plugin-hooks')
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

/**
 * Runs the CLI in this process, with its I/O as parameters (src/cli/run-cli.ts, the code the bundle
 * runs): the same environment as runCli, without a node start per call. The bundle itself keeps its
 * smoke tests through runCli.
 */
export async function cli(
  args: string[],
  /** `terminal`: stdout is a terminal, as `process.stdout.isTTY` says in the bundle. */
  options: { cwd?: string; env?: Record<string, string>; terminal?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runCli: run } = await import('../../src/cli/run-cli.ts')
  let stdout = ''
  let stderr = ''
  const code = await run({
    argv: args,
    cwd: options.cwd ?? REPO,
    env: { PATH: process.env.PATH ?? '', HOME: join(REPO, 'test', 'fixtures', 'no-home'), ...options.env },
    stdout: (text) => {
      stdout += text
    },
    stderr: (text) => {
      stderr += text
    },
    ...(options.terminal ? { stdoutIsTerminal: true } : {}),
  })
  return { code, stdout, stderr }
}
