#!/usr/bin/env node
// Registry build time next to its floor, measured in the same run (machines are noisy; only the
// ratios mean much). The floor is what any registry must do: list the same folders and read the
// same files. Also measured: the freshness check SessionStart does on every session start, and the
// snapshot read a hook does.
//
// Plugins: every plugin folder of ../shared/corpus when present (else this repository's examples), then
// generated trees of 1,000 and 10,000 plugins (BENCH_TREES=1000,10000), to show how the build grows.
// Usage: node scripts/bench-registry.mjs [--rounds N]
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { fork } from 'node:child_process'
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
const corpusDirs = existsSync(corpus)
  ? readdirSync(corpus).flatMap((m) =>
      ['plugins', 'external_plugins']
        .map((d) => join(corpus, m, d))
        .filter(existsSync)
        .flatMap((d) => readdirSync(d).map((p) => join(d, p))),
    )
  : readdirSync(join(root, 'examples')).map((p) => join(root, 'examples', p))
const sizes = (process.env.BENCH_TREES ?? '1000,10000').split(',').filter(Boolean).map(Number)

/** The registry build against its floor, for one set of plugin folders. */
function measure(label, pluginDirs, treeRounds) {
  const options = { cwd: root, env: { HOME: join(work, 'home') }, installed: false, pluginDirs }
  // What the registry depends on, from one build: every folder listed and every file read. Timed too: the first
  // build of a process is what SessionStart's rebuild pays (a fresh node process, nothing optimised yet).
  const coldStarted = process.hrtime.bigint()
  const registry = buildRegistry(options)
  const coldBuild = Number(process.hrtime.bigint() - coldStarted) / 1e6
  const watched = registry.watched.filter(existsSync)
  const folders = watched.filter((p) => statSync(p).isDirectory())
  const files = watched.filter((p) => statSync(p).isFile())
  const snapshotFile = join(work, 'registry.json')
  writeSnapshot(snapshotFile, toSnapshot(registry))
  const snapshotBytes = statSync(snapshotFile).size
  const snapshot = readSnapshot(snapshotFile)
  const floor = () => {
    let bytes = 0
    for (const folder of folders) readdirSync(folder)
    for (const file of files) bytes += readFileSync(file).length
    return bytes
  }
  const measures = {
    build: () => buildRegistry(options),
    floor,
    fresh: () => isSnapshotFresh(snapshot), // the check alone: SessionStart reads the snapshot either way
    // The check's own floor: a stat of each path it checks, nothing compared. Any check that sees an edit in
    // place must stat every file (an edit changes no folder's mtime), so this is what no such check beats.
    stats: () => {
      for (const [path] of snapshot.fingerprint) statSync(path, { throwIfNoEntry: false })
    },
    read: () => readSnapshot(snapshotFile),
  }
  const samples = Object.fromEntries(Object.keys(measures).map((k) => [k, []]))
  const firstFloorStarted = process.hrtime.bigint()
  floor() // its first run, beside the first build (the files are in the page cache by then)
  const firstFloor = Number(process.hrtime.bigint() - firstFloorStarted) / 1e6
  for (const fn of Object.values(measures)) fn() // warm up: file cache, JIT
  for (let round = 0; round < treeRounds; round++) {
    for (const [name, fn] of Object.entries(measures)) {
      const started = process.hrtime.bigint()
      fn()
      samples[name].push(Number(process.hrtime.bigint() - started) / 1e6)
    }
  }
  const ms = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]))
  console.log(
    `${label}: ${registry.plugins.length} plugins, ${registry.components.length} components, ${folders.length} folders, ${files.length} files; snapshot ${Math.round(snapshotBytes / 1024)} KB; ${treeRounds} interleaved rounds, medians.`,
  )
  const line = (name, value, extra = '') =>
    console.log(
      `  ${name.padEnd(50)} ${value.toFixed(1).padStart(9)} ms ${(value / ms.floor).toFixed(2).padStart(6)} x floor${extra}`,
    )
  line('registry build (discover, parse, check)', ms.build, `  ${verdict(ms.build / ms.floor, 2)}`)
  line('floor: list the same folders, read the same files', ms.floor)
  console.log(
    `  ${'first build of the process (SessionStart rebuild)'.padEnd(50)} ${coldBuild.toFixed(1).padStart(9)} ms ${(coldBuild / firstFloor).toFixed(2).padStart(6)} x the floor's first run (${firstFloor.toFixed(1)} ms; V8 has optimised nothing yet, for information)`,
  )
  line(
    'freshness check of the read snapshot (a stat per path)',
    ms.fresh,
    `  ${verdict(ms.fresh / ms.read, 1, 'x the snapshot read')}`,
  )
  line('snapshot read (what a hook does)', ms.read)
  console.log(
    `  ${"the check's floor: a bare stat of its paths".padEnd(50)} ${ms.stats.toFixed(1).padStart(9)} ms ${(ms.stats / ms.read).toFixed(2).padStart(6)} x the snapshot read (${snapshot.fingerprint.length} paths; the check is ${(ms.fresh / ms.stats).toFixed(2)}x it)`,
  )
  return { plugins: registry.plugins.length, build: ms.build, floor: ms.floor }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const verdict = (value, target, unit = 'x the floor') =>
  `(target: at most ${target}${unit.startsWith('x') ? '' : ' '}${unit}; ${value <= target ? 'met' : 'not met'}; ${value.toFixed(2)})`

/** A tree of `count` plugins as authors write them: a manifest, two agents, a command and a skill each. */
function generateTree(count) {
  const dir = join(work, `tree-${count}`)
  const dirs = []
  for (let i = 0; i < count; i++) {
    const plugin = join(dir, `plugin-${i}`)
    const write = (path, text) => {
      mkdirSync(dirname(join(plugin, path)), { recursive: true })
      writeFileSync(join(plugin, path), text)
    }
    write(
      '.claude-plugin/plugin.json',
      JSON.stringify({ name: `plugin-${i}`, version: `1.${i % 10}.0`, description: `Generated plugin ${i}` }),
    )
    for (const agent of ['reviewer', 'writer'])
      write(
        `agents/${agent}.md`,
        `---\nname: ${agent}\ndescription: The ${agent} of plugin ${i}. Use when a draft needs a ${agent}.\ntools: Read, Grep, Glob\nmodel: sonnet\n---\n\nYou are the ${agent}. Read the draft and answer in markdown.\n`,
      )
    write(
      'commands/check.md',
      `---\ndescription: Check a file of plugin ${i}\nargument-hint: <file>\nallowed-tools: Read\n---\n\nCheck $ARGUMENTS.\n`,
    )
    write(
      'skills/style/SKILL.md',
      `---\nname: style\ndescription: House style of plugin ${i}, for any text it writes.\n---\n\nWrite plainly.\n`,
    )
    dirs.push(plugin)
  }
  return dirs
}

// Each set is measured in a process of its own: a large tree's registry and snapshot, held live by
// the measurement, would otherwise make the next builds pay for their garbage collection.
const only = process.argv.indexOf('--only')
if (only > 0) {
  const which = process.argv[only + 1]
  const result =
    which === 'corpus'
      ? measure(
          existsSync(corpus) ? 'Corpus (../shared/corpus)' : 'Examples (no ../shared/corpus here)',
          corpusDirs,
          rounds,
        )
      : measure(`Generated tree of ${which}`, generateTree(Number(which)), Number(which) >= 10_000 ? 3 : 5)
  process.send?.(result)
} else {
  console.log(`Registry benchmark (only the ratios mean much: same-run medians on a noisy machine).\n`)
  const run = (which) =>
    new Promise((done) => {
      const child = fork(fileURLToPath(import.meta.url), ['--only', String(which), '--rounds', String(rounds)])
      let result
      child.on('message', (message) => (result = message))
      child.on('exit', () => done(result))
    })
  await run('corpus')
  const trees = []
  for (const count of sizes) trees.push({ count, ...(await run(count)) })
  if (trees.length > 1) {
    const perPlugin = trees.map((t) => `${t.count}: ${((t.build / t.plugins) * 1000).toFixed(0)} µs`)
    const growth = trees.at(-1).build / trees.at(-1).plugins / (trees[0].build / trees[0].plugins)
    console.log(
      `\nGrowth: build time per plugin ${perPlugin.join(', ')}; ${growth.toFixed(2)}x per plugin from the smallest tree to the largest (linear is 1).`,
    )
  }
}
rmSync(work, { recursive: true, force: true })
