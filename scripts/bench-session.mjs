#!/usr/bin/env node
// Runs test/bench/session-cost.ts (real Claude Code sessions with and without Switchboard), or with
// --phases test/bench/session-phases.ts (where a session's start goes, from Claude Code's debug log):
// bundles it with esbuild, as the harness is TypeScript, and runs it with node. Needs the pinned Claude
// Code builds (node scripts/setup.mjs --with-claude).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// Inside the repository (.tmp-* is ignored), so the bundle's imports of the toolchain resolve.
const bench = process.argv.includes('--phases') ? 'session-phases' : 'session-cost'
const outfile = join(root, '.tmp-bench', `${bench}.mjs`)
await build({
  absWorkingDir: root,
  entryPoints: [`test/bench/${bench}.ts`],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'error',
  banner: {
    js: `import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(${JSON.stringify(join(root, 'package.json'))});`,
  },
  define: { 'import.meta.dirname': JSON.stringify(join(root, 'test', 'harness')) },
})
// The sessions' homes and projects go under one scratch folder, removed afterwards (as in the tests).
const scratch = mkdtempSync(join(tmpdir(), 'switchboard-bench-'))
const result = spawnSync(process.execPath, [outfile], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: scratch },
})
rmSync(scratch, { recursive: true, force: true })
process.exit(result.status ?? 1)
