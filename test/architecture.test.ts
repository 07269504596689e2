// The architecture, enforced: domains in src/ depend one way only, other domains are reached only
// through their index.ts, the registry's light door (snapshot.ts) stays free of heavy imports, and
// the committed bundles are what the sources build to.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = resolve(import.meta.dirname, '..', 'src')
/** Second doors into heavy domains, for hooks and the MCP server's start: precomputed data and small constants, Node built-ins only. */
const LIGHT_DOORS = [
  join('registry', 'snapshot.ts'),
  join('registry', 'data-dir.ts'),
  join('registry', 'claude-paths.ts'),
  join('registry', 'managed-settings.ts'),
  join('registry', 'claude-config.ts'),
  join('registry', 'fresh-snapshot.ts'),
  join('registry', 'registry-key.ts'),
  join('registry', 'session-plugin-dirs.ts'),
  join('registry', 'snapshot-locator.ts'),
  join('registry', 'read-bounded.ts'),
  join('registry', 'preloads.ts'),
  join('registry', 'plugin-owner.ts'),
  join('cli', 'version.ts'),
  join('guard', 'invoke-usage.ts'),
  join('resolve', 'route-limits.ts'),
  join('workflow', 'drive-limits.ts'),
  join('manifest', 'contract-schema.ts'),
  join('manifest', 'name-rules.ts'),
  join('manifest', 'short-contract-check.ts'),
  join('manifest', 'validate-contract.ts'),
  join('registry', 'snapshot-format.ts'),
  join('workflow', 'guided.ts'),
  join('workflow', 'guided-file.ts'),
  join('workflow', 'turns.ts'),
]
const REPO = resolve(import.meta.dirname, '..')
/** The runtime-neutral doors: what the hooks module may import (no Node, no heavy packages). */
const CORE_DOORS = [
  'module/register.ts',
  'workflow/core.ts',
  'guard/core.ts',
  'trace/core.ts',
  'context/core.ts',
  'protocol/core.ts',
  'common/core.ts',
  'manifest/contract-schema.ts',
  'manifest/short-contract-check.ts',
  'registry/snapshot-format.ts',
  'registry/snapshot-locator.ts',
  'registry/preloads.ts',
  'registry/plugin-owner.ts',
]

/** Left may import right, never the other way. (resolve sits below registry: the registry checks dependencies.) */
const LAYERS = [
  'mcp',
  'cli',
  'hooks',
  'module',
  'workflow',
  'guard',
  'trace',
  'context',
  'protocol',
  'registry',
  'resolve',
  'manifest',
  'common',
]

const files = walk(SRC).filter((f) => f.endsWith('.ts'))
const allImports = files.flatMap((file) =>
  [
    ...readFileSync(file, 'utf8').matchAll(
      /^\s*(?:import|export)\s(?:type\s)?[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/gm,
    ),
  ].map((m) => ({ file, spec: (m[1] ?? m[2])!, typeOnly: /^\s*(?:import|export) type\s/.test(m[0]) })),
)
const imports = allImports

describe('architecture', () => {
  it('knows every domain folder in src/', () => {
    const domains = readdirSync(SRC).filter((d) => statSync(join(SRC, d)).isDirectory())
    expect(domains.filter((d) => !LAYERS.includes(d))).toEqual([])
  })

  it('has imports that point one way only: cli → … → registry → resolve → manifest → common', () => {
    const violations = imports
      .filter((i) => i.spec.startsWith('.'))
      .map((i) => ({ ...i, from: domainOf(i.file), to: domainOf(resolve(dirname(i.file), i.spec)) }))
      .filter((i) => i.from !== i.to && LAYERS.indexOf(i.to) < LAYERS.indexOf(i.from))
      .map((i) => `${relative(SRC, i.file)} imports ${i.spec} (${i.from} → ${i.to})`)
    expect(violations).toEqual([])
  })

  it('reaches other domains only through their index.ts, their core.ts, or a light door', () => {
    const violations = imports
      .filter((i) => i.spec.startsWith('.'))
      .filter(
        (i) =>
          domainOf(i.file) !== domainOf(resolve(dirname(i.file), i.spec)) &&
          !i.spec.endsWith('/index.ts') &&
          !i.spec.endsWith('/core.ts') &&
          !LIGHT_DOORS.includes(relative(SRC, resolve(dirname(i.file), i.spec))),
      )
      .map((i) => `${relative(SRC, i.file)} imports ${i.spec}`)
    expect(violations).toEqual([])
  })

  it('imports nothing from outside src/', () => {
    const outside = allImports.filter(
      (i) => i.spec.startsWith('.') && relative(SRC, resolve(dirname(i.file), i.spec)).startsWith('..'),
    )
    expect(outside.map((i) => `${relative(SRC, i.file)} imports ${i.spec}`)).toEqual([])
  })

  it('uses named exports in index.ts files (no export *)', () => {
    const offenders = files.filter((f) => f.endsWith('index.ts') && /export \*/.test(readFileSync(f, 'utf8')))
    expect(offenders.map((f) => relative(SRC, f))).toEqual([])
  })

  it('keeps the light door light: snapshot.ts imports only Node built-ins, types, the snapshot format, its locator and the non-blocking read', () => {
    const heavy = imports.filter(
      (i) =>
        i.file.endsWith(join('registry', 'snapshot.ts')) &&
        !i.typeOnly &&
        !i.spec.startsWith('node:') &&
        i.spec !== './snapshot-format.ts' &&
        i.spec !== './snapshot-locator.ts' &&
        i.spec !== './read-bounded.ts',
    )
    expect(heavy.map((i) => i.spec)).toEqual([])
  })

  it('keeps the core runtime-neutral: nothing the core doors reach imports Node or a heavy package', () => {
    // The hooks module runs inside Claude Code with no Node (docs/development.md "Two runtimes"), so
    // the decision, resolution, envelope, references, trace model and snapshot format must not need it.
    const reached = new Map<string, string[]>()
    const visit = (file: string, via: string[]): void => {
      if (reached.has(file)) return
      reached.set(file, via)
      for (const i of allImports.filter((i) => i.file === file && !i.typeOnly && i.spec.startsWith('.')))
        visit(resolve(dirname(file), i.spec), [...via, relative(SRC, file)])
    }
    for (const entry of CORE_DOORS) visit(join(SRC, entry), [])
    const offenders = allImports
      .filter(
        (i) =>
          reached.has(i.file) &&
          !i.typeOnly &&
          (i.spec.startsWith('node:') || /^(fast-glob|yaml|picomatch|zod)$/.test(i.spec)),
      )
      .map((i) => `${[...reached.get(i.file)!, relative(SRC, i.file)].join(' -> ')} imports ${i.spec}`)
    expect(offenders).toEqual([])
    expect(reached.size).toBeGreaterThan(CORE_DOORS.length) // the walk follows imports
  })

  it('touches console and process exit codes only in cli/, mcp/ and hooks/run-hook.ts', () => {
    const offenders = files.filter(
      (f) =>
        domainOf(f) !== 'cli' &&
        domainOf(f) !== 'mcp' &&
        !f.endsWith(join('hooks', 'run-hook.ts')) &&
        /console\.|process\.exit/.test(readFileSync(f, 'utf8')),
    )
    expect(offenders.map((f) => relative(SRC, f))).toEqual([])
  })

  it('declares every package it imports, and imports every package it declares (dev/package.json: knip reads only the root one)', () => {
    const declared = Object.keys(JSON.parse(readFileSync(join(REPO, 'dev', 'package.json'), 'utf8')).devDependencies)
    // Tools run by name, not imported: the compiler and its types, the test runner, the formatter and linter, knip.
    const TOOLS = new Set([
      'typescript',
      'vitest',
      '@biomejs/biome',
      'knip',
      '@types/node',
      '@types/semver',
      '@types/picomatch',
    ])
    const sources = [
      ...walk(SRC),
      ...walk(join(REPO, 'test')).filter((f) => !/test[/\\](claude-code|fixtures)[/\\]/.test(f)),
      ...walk(join(REPO, 'scripts')),
    ].filter((f) => /\.(ts|mjs)$/.test(f))
    const used = new Set(
      sources.flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'((?:@[^/']+\/)?[^./'][^/']*)/g)]
          .map((m) => m[1]!)
          .filter((spec) => /^(@[a-z0-9._-]+\/)?[a-z0-9][a-z0-9._-]*$/.test(spec)),
      ),
    )
    expect(declared.filter((name) => !used.has(name) && !TOOLS.has(name))).toEqual([])
    expect([...used].filter((name) => !declared.includes(name)).sort()).toEqual([])
  })

  it('ships committed bundles that match the sources (run `npm run build` when this fails)', () => {
    const output = execFileSync(process.execPath, [join(REPO, 'scripts', 'build.mjs'), '--check'], {
      cwd: REPO,
      encoding: 'utf8',
    })
    expect(output).toContain('up to date')
  })
})

function domainOf(file: string): string {
  return relative(SRC, file).split(/[/\\]/)[0] ?? ''
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}
