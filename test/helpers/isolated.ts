// Runs a piece of TypeScript (importing from src/ by repository path) in a child process with a time
// limit: for inputs that once held the guard for minutes. In process, such code blocks the test runner
// itself, whose timeouts then never fire; a child that runs past the limit is killed and reported.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { build } from 'esbuild'
import { REPO } from './cli.ts'
import { testdir } from './testdir.ts'

export async function runIsolated(code: string, timeoutMs = 20_000): Promise<{ stdout: string; timedOut: boolean }> {
  const outfile = join(testdir(), 'isolated.mjs')
  await build({
    stdin: { contents: code, resolveDir: REPO, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
    // Bundled CommonJS packages (yaml) call require() for Node built-ins.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  })
  const run = spawnSync(process.execPath, [outfile], { encoding: 'utf8', timeout: timeoutMs })
  return { stdout: run.stdout.trim(), timedOut: run.error !== undefined || run.signal !== null }
}
