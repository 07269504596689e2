#!/usr/bin/env node
// Registry build time next to its floor, measured in the same run (machines are noisy; only the
// ratios mean much). The floor is what any registry must do: list the same folders and read the
// same files. Also measured: the freshness check SessionStart does on every session start, and the
// snapshot read a hook does.
//
// Plugins: every plugin folder of ../shared/corpus when present, else this repository's examples.
// Usage: node scripts/bench-registry.mjs [--rounds N]
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const roundsArg = process.argv.indexOf('--rounds')
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 15

// The registry as shipped: bundled by esbuild from src/, the way bin/switchboard is.
const work = mkdtempSync(join(tmpdir(), 'switchboard-bench-'))
await build({
  absWorkingDir: root,
  entryPoints: ['scripts/bench-registry-entry.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  minify: true,
  outfile: join(work, 'registry.mjs'),
  logLevel: 'error',
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
})
const { buildRegistry, toSnapshot, isSnapshotFresh, readSnapshot, writeSnapshot } = await import(
  pathToFileURL(join(work, 'registry.mjs')).href
)

const corpus = join(root, '..', 'shared', 'corpus')
const pluginDirs = existsSync(corpus)
  ? readdirSync(corpus).flatMap((m) =>
      ['plugins', 'external_plugins']
        .map((d) => join(corpus, m, d))
        .filter(existsSync)
        .flatMap((d) => readdirSync(d).map((p) => join(d, p))),
    )
  : readdirSync(join(root, 'examples')).map((p) => join(root, 'examples', p))
const options = { cwd: root, env: { HOME: join(work, 'home') }, installed: false, pluginDirs }

// What the registry depends on, from one build: every folder listed and every file read.
const registry = buildRegistry(options)
const watched = registry.watched.filter(existsSync)
const folders = watched.filter((p) => statSync(p).isDirectory())
const files = watched.filter((p) => statSync(p).isFile())
const snapshotFile = join(work, 'registry.json')
writeSnapshot(snapshotFile, toSnapshot(registry))
const snapshotBytes = statSync(snapshotFile).size

const floor = () => {
  let bytes = 0
  for (const folder of folders) readdirSync(folder)
  for (const file of files) bytes += readFileSync(file).length
  return bytes
}
const measures = {
  'registry build (discover, parse, check)': () => buildRegistry(options),
  'floor: list the same folders, read the same files': floor,
  'freshness check (stat every watched path)': () => isSnapshotFresh(readSnapshot(snapshotFile)),
  'snapshot read (what a hook does)': () => readSnapshot(snapshotFile),
}
const samples = Object.fromEntries(Object.keys(measures).map((k) => [k, []]))
for (const fn of Object.values(measures)) fn() // warm up: file cache, JIT
for (let round = 0; round < rounds; round++) {
  for (const [name, fn] of Object.entries(measures)) {
    const started = process.hrtime.bigint()
    fn()
    samples[name].push(Number(process.hrtime.bigint() - started) / 1e6)
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const floorMs = median(samples['floor: list the same folders, read the same files'])

console.log(
  `Registry benchmark: ${registry.plugins.length} plugins, ${registry.components.length} components, ${folders.length} folders, ${files.length} files; ${rounds} interleaved rounds, medians.`,
)
console.log(`Snapshot: ${Math.round(snapshotBytes / 1024)} KB, ${watched.length} watched paths.\n`)
for (const [name, values] of Object.entries(samples)) {
  const ms = median(values)
  console.log(`${name.padEnd(52)} ${ms.toFixed(2).padStart(8)} ms   ${(ms / floorMs).toFixed(2).padStart(6)} x floor`)
}
rmSync(work, { recursive: true, force: true })
