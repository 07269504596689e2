#!/usr/bin/env node
// `npm start`: the demonstration. Runs the three example orchestrations (Editor → Designer, Tech →
// Editor, Growth → All) on the real Claude Code with the example plugins, offline, against the
// scripted stand-in model of test/harness, and prints for each who called whom, the context that
// flowed between plugins, and what it took. `--version 2.1.197` shows settings mode; `--live` uses the
// real model (needs ANTHROPIC_API_KEY, spends tokens).
//
// First it installs what it needs the way the tests do (the toolchain and the pinned Claude Code
// builds, from their lockfiles; nothing at the plugin root), then bundles scripts/demo/main.ts with
// esbuild, as the harness is TypeScript (like scripts/bench-session.mjs).
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(
    'Usage: npm start -- [--version 2.1.332|2.1.331|2.1.197] [--only editor-designer,tech-editor,growth-all] [--live]',
  )
  process.exit(0)
}

const setup = spawnSync(process.execPath, [join(root, 'scripts', 'setup.mjs'), '--quiet', '--with-claude'], {
  cwd: root,
  stdio: 'inherit',
})
if (setup.status !== 0) process.exit(setup.status ?? 1)

// Imported only now: esbuild is part of the toolchain setup just installed.
const { build } = await import('esbuild')
// Inside the repository (.tmp-* is ignored), so the bundle's imports of the toolchain resolve.
const outfile = join(root, '.tmp-demo', 'demo.mjs')
await build({
  absWorkingDir: root,
  entryPoints: ['scripts/demo/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'error',
  banner: {
    js: `import { createRequire as __demoRequire } from 'node:module'; const require = __demoRequire(${JSON.stringify(join(root, 'package.json'))});`,
  },
  define: { 'import.meta.dirname': JSON.stringify(join(root, 'test', 'harness')) },
})
const result = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })
process.exit(result.status ?? 1)
