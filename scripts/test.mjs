#!/usr/bin/env node
// `npm test`: everything CI checks, from a clean clone. Installs the toolchain (dev/) and the
// pinned Claude Code builds (test/claude-code/) from their lockfiles, type-checks, checks formatting,
// lint and unused code, then runs the whole vitest suite (which also fails on stale committed bundles). Extra arguments go to vitest.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const step = (title, command, args) => {
  console.log(`\n== ${title}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`\n${title} failed (exit ${result.status ?? result.signal}).`)
    process.exit(result.status || 1)
  }
}

step('install toolchain and pinned Claude Code', process.execPath, [
  join(root, 'scripts', 'setup.mjs'),
  '--with-claude',
])
step('type-check', process.execPath, [join(root, 'dev', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root])
// Biome: the formatter (120 columns) and the linter, in CI mode (nothing written); `npm run format` fixes.
step('format and lint', process.execPath, [
  join(root, 'dev', 'node_modules', '@biomejs', 'biome', 'bin', 'biome'),
  'ci',
  '--reporter=summary',
])
// knip: unused files, exports and types (unused packages: test/architecture.test.ts, as they live in dev/package.json).
step('unused code', process.execPath, [
  join(root, 'dev', 'node_modules', 'knip', 'bin', 'knip.js'),
  '--directory',
  root,
  '--include',
  'files,exports,types,duplicates',
])
step('tests', process.execPath, [
  join(root, 'dev', 'node_modules', 'vitest', 'vitest.mjs'),
  'run',
  ...process.argv.slice(2),
])
