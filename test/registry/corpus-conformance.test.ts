// Conformance over hundreds of real plugins written by others (../shared/corpus, data only, never
// copied here). For every plugin folder, the components the registry finds must be exactly the
// component files present, under the ids Claude Code uses. The expected set comes from an
// independent, deliberately simple reading of the folders (readdirSync and path rules), not from
// the registry's own code.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRegistry } from '../../src/registry/index.ts'
import { CORPUS } from '../helpers/corpus.ts'

const ROOTS = existsSync(CORPUS)
  ? readdirSync(CORPUS).filter((d) => existsSync(join(CORPUS, d, '.claude-plugin', 'marketplace.json')))
  : []
const CLI = resolve(import.meta.dirname, '..', '..', 'plugin', 'bin', 'switchboard')

/** Plugins Claude Code refuses to load (found by the corpus survey and the loader research). */
const NOT_LOADED: Record<string, string> = {
  'claude-hud': 'commands', // "commands": "${CLAUDE_PLUGIN_ROOT}/commands" does not start with "./"
}

if (ROOTS.length === 0) {
  describe.skip('corpus conformance (../shared/corpus not found: skipped)', () => {
    it('needs ../shared/corpus', () => {})
  })
}

for (const root of ROOTS) {
  const marketplaceRoot = join(CORPUS, root)
  const pluginDirs = ['plugins', 'external_plugins']
    .map((d) => join(marketplaceRoot, d))
    .filter(existsSync)
    .flatMap((d) => readdirSync(d).map((name) => join(d, name)))
    .filter((d) => statSync(d).isDirectory())

  describe(`corpus ${root} (${pluginDirs.length} plugin folders)`, () => {
    it('`switchboard registry --marketplace-root` completes with JSON and no crash', () => {
      const result = spawnSync(
        process.execPath,
        [CLI, 'registry', '--marketplace-root', marketplaceRoot, '--no-installed', '--json'],
        { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/nonexistent' } },
      )
      expect(result.stderr).not.toMatch(/error:|at .*\.js:\d+/)
      expect([0, 1]).toContain(result.status)
      const components = JSON.parse(result.stdout) as Array<Record<string, unknown>>
      expect(components.length).toBeGreaterThan(0)
      for (const c of components)
        expect(Object.keys(c)).toEqual(
          expect.arrayContaining(['id', 'plugin', 'kind', 'description', 'tools', 'model', 'file', 'orchestration']),
        )
    })

    it('finds exactly the component files of every plugin, under Claude Code ids', () => {
      const registry = buildRegistry({
        cwd: marketplaceRoot,
        env: { HOME: '/nonexistent' },
        installed: false,
        pluginDirs,
      })
      const mismatches: string[] = []
      let checked = 0
      for (const dir of pluginDirs) {
        const record = registry.plugins.find((p) => p.root === dir)
        if (!record) {
          mismatches.push(`${relative(CORPUS, dir)}: not in the registry`)
          continue
        }
        if (!record.loaded) {
          if (!NOT_LOADED[record.name]) mismatches.push(`${record.name}: unexpectedly not loaded: ${record.loadError}`)
          continue
        }
        if (NOT_LOADED[record.name]) mismatches.push(`${record.name}: loaded, but Claude Code refuses it`)
        const expected = expectedComponents(dir, record.name)
        const found = registry.components
          .filter((c) => c.plugin === record.name && c.file.startsWith(dir))
          .map((c) => `${c.kind} ${c.id} ${relative(dir, c.file)}`)
          .sort()
        checked += expected.length
        if (JSON.stringify(found) !== JSON.stringify(expected)) {
          mismatches.push(
            `${record.name}:\n  expected ${JSON.stringify(expected.filter((e) => !found.includes(e)))}\n  found    ${JSON.stringify(found.filter((f) => !expected.includes(f)))}`,
          )
        }
      }
      expect(mismatches).toEqual([])
      console.log(`${root}: ${checked} components checked in ${pluginDirs.length} plugin folders`)
      expect(checked).toBeGreaterThan(50)
    })
  })
}

// --- the oracle ---

function expectedComponents(dir: string, plugin: string): string[] {
  const manifest = readManifest(dir)
  const rows = new Map<string, string>() // key kind+id -> row; skills are added first and win
  const add = (kind: string, id: string, file: string): void => {
    const slot = `${kind === 'agent' ? 'agent' : 'skill'} ${id}`
    if (!rows.has(slot)) rows.set(slot, `${kind} ${id} ${relative(dir, file)}`)
  }
  const skillDirs = [join(dir, 'skills'), ...list(manifest.skills).map((p) => resolve(dir, p))]
  const seenSkillFiles = new Set<string>()
  for (const skillsDir of skillDirs) {
    if (!isDir(skillsDir)) continue
    const direct = join(skillsDir, 'SKILL.md')
    const entries = existsSync(direct)
      ? [skillsDir]
      : readdirSync(skillsDir)
          .sort()
          .map((e) => join(skillsDir, e))
          .filter((e) => existsSync(join(e, 'SKILL.md')))
    for (const skill of entries) {
      const file = join(skill, 'SKILL.md')
      if (seenSkillFiles.has(file)) continue
      seenSkillFiles.add(file)
      add('skill', `${plugin}:${basename(skill).replace(/[^a-zA-Z0-9_-]/g, '-')}`, file)
    }
  }
  const agentFiles = manifest.agents
    ? list(manifest.agents).map((p) => [resolve(dir, p), []] as const)
    : walk(join(dir, 'agents'))
  for (const [file, subdirs] of agentFiles)
    add('agent', [plugin, ...subdirs, frontmatterName(file) ?? basename(file, '.md')].join(':'), file)
  const commandRoots = manifest.commands ? list(manifest.commands).map((p) => resolve(dir, p)) : [join(dir, 'commands')]
  for (const commandRoot of commandRoots) {
    const files = isDir(commandRoot) ? walk(commandRoot) : existsSync(commandRoot) ? [[commandRoot, []] as const] : []
    for (const [file, subdirs] of files) add('command', [plugin, ...subdirs, basename(file, '.md')].join(':'), file)
  }
  return [...rows.values()].sort()
}

function readManifest(dir: string): { agents?: unknown; commands?: unknown; skills?: unknown } {
  try {
    return JSON.parse(readFileSync(join(dir, '.claude-plugin', 'plugin.json'), 'utf8'))
  } catch {
    return {}
  }
}

/** Markdown files under a folder with their sub-folder names (none of the corpus's command folders holds a skill). */
function walk(root: string, subdirs: string[] = []): Array<readonly [string, string[]]> {
  if (!isDir(root)) return []
  return readdirSync(root)
    .sort()
    .flatMap((entry) => {
      const path = join(root, entry)
      if (isDir(path)) return walk(path, [...subdirs, entry])
      return entry.toLowerCase().endsWith('.md') ? [[path, subdirs] as const] : []
    })
}

/** The `name:` line of a frontmatter block, when it is a plain value (every corpus agent's is). */
function frontmatterName(file: string): string | undefined {
  const block = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(file, 'utf8'))?.[1] ?? ''
  return /^name:\s*["']?([^"'\r\n]+?)["']?\s*$/m.exec(block)?.[1]
}

function list(value: unknown): string[] {
  return typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string')
      : []
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
