// A hostile plugin must not switch the guard off for everyone: whatever one plugin folder holds
// (symlink loops, a plugin.json of 100,000 entries, a huge or endless file, a very deep tree), the
// registry build returns, every other plugin is built normally, and the bad one is reported.
import { spawnSync } from 'node:child_process'
import { closeSync, mkdirSync, openSync, symlinkSync, ftruncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRegistry, loadPlugin } from '../../src/registry/index.ts'
import type { Registry } from '../../src/registry/index.ts'
import { SCAN_LIMITS } from '../../src/registry/scan-limits.ts'
import { testdir, writeFiles } from '../helpers/testdir.ts'

const AGENT = '---\nname: helper\ndescription: Helps.\n---\nHelp.\n'

/** A good plugin before and after the evil one, so neither order hides a failure. */
function buildBeside(makeEvil: (evil: string) => void): { registry: Registry; evil: string } {
  const root = testdir({
    'good/.claude-plugin/plugin.json': { name: 'good' },
    'good/agents/helper.md': AGENT,
    'other/.claude-plugin/plugin.json': { name: 'other' },
    'other/skills/tidy/SKILL.md': '---\ndescription: Tidies.\n---\nTidy.\n',
    'evil/.claude-plugin/plugin.json': { name: 'evil' },
    'evil/agents/real.md': AGENT.replace('helper', 'real'),
  })
  const evil = join(root, 'evil')
  makeEvil(evil)
  const registry = buildRegistry({
    cwd: root,
    env: { HOME: join(root, 'home') },
    installed: false,
    pluginDirs: [join(root, 'good'), evil, join(root, 'other')],
  })
  return { registry, evil }
}

function expectOthersIntact(registry: Registry): void {
  expect(registry.plugins.map((p) => p.name)).toEqual(['good', 'evil', 'other'])
  expect(registry.components.filter((c) => c.plugin !== 'evil').map((c) => c.id)).toEqual(['good:helper', 'other:tidy'])
  expect(registry.diagnostics.filter((d) => !d.file.includes('/evil'))).toEqual([])
}

function diagnosticsOf(registry: Registry, code: string) {
  return registry.diagnostics.filter((d) => d.code === code)
}

describe('scan limits', () => {
  // Claude Code follows no link in a component folder (2.1.197 and 2.1.332, probed 2026-12-01), so a loop
  // (a -> ., x/y -> ../..) is never walked: each link is skipped and said.
  it('follows no folder link, loops included, and says so', () => {
    const { registry, evil } = buildBeside((evil) => {
      symlinkSync('.', join(evil, 'agents', 'a'))
      symlinkSync('.', join(evil, 'agents', 'b'))
      mkdirSync(join(evil, 'commands', 'x'), { recursive: true })
      writeFileSync(join(evil, 'commands', 'x', 'go.md'), 'Go.\n')
      symlinkSync('../..', join(evil, 'commands', 'x', 'y'))
      symlinkSync('../commands', join(evil, 'agents', 'cmds'))
    })
    expectOthersIntact(registry)
    expect(registry.components.filter((c) => c.plugin === 'evil').map((c) => c.id)).toEqual(['evil:real', 'evil:x:go'])
    expect(
      diagnosticsOf(registry, 'COMPONENT_LINK_SKIPPED')
        .map((d) => d.file)
        .sort(),
    ).toEqual([
      join(evil, 'agents', 'a'),
      join(evil, 'agents', 'b'),
      join(evil, 'agents', 'cmds'),
      join(evil, 'commands', 'x', 'y'),
    ])
  })

  it('reads a plugin.json of 100,000 entries no further, and reports the plugin as partly read', () => {
    const { registry, evil } = buildBeside((evil) => {
      const many = Array.from({ length: 100_000 }, (_, i) => `./a${i}.md`)
      writeFiles(evil, { '.claude-plugin/plugin.json': JSON.stringify({ name: 'evil', agents: many }) })
    })
    expectOthersIntact(registry)
    const record = registry.plugins.find((p) => p.name === 'evil')!
    expect(record.scanLimit).toMatch(/plugin\.json/)
    const [stopped] = diagnosticsOf(registry, 'SCAN_LIMIT_REACHED')
    expect(stopped?.file).toBe(join(evil, '.claude-plugin', 'plugin.json'))
    expect(stopped?.message).toMatch(/values/)
  })

  it('reads no deeply nested JSON (plugin.json and hooks.json)', () => {
    const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`
    const { registry, evil } = buildBeside((evil) => {
      writeFiles(evil, { '.claude-plugin/plugin.json': `{"name": "evil", "x": ${deep(500_000)}}` })
    })
    expectOthersIntact(registry)
    expect(diagnosticsOf(registry, 'SCAN_LIMIT_REACHED').map((d) => d.file)).toEqual([
      join(evil, '.claude-plugin', 'plugin.json'),
    ])
    expect(diagnosticsOf(registry, 'SCAN_LIMIT_REACHED')[0]!.message).toMatch(/levels deep/)

    const hooks = buildBeside((evil) =>
      writeFiles(evil, { 'hooks/hooks.json': `{"hooks": {"SessionStart": ${deep(500_000)}}}` }),
    )
    expectOthersIntact(hooks.registry)
    expect(hooks.registry.plugins.find((p) => p.name === 'evil')!.scanLimit).toMatch(/hooks\.json/)
  })

  it('skips a 50 MB agent file and a component that is not a regular file (FIFO, /dev/zero) without reading them', () => {
    const { registry, evil } = buildBeside((evil) => {
      const fd = openSync(join(evil, 'agents', 'huge.md'), 'w')
      ftruncateSync(fd, 50 * 1024 * 1024)
      closeSync(fd)
      symlinkSync('/dev/zero', join(evil, 'agents', 'zero.md'))
      expect(spawnSync('mkfifo', [join(evil, 'agents', 'fifo.md')]).status).toBe(0)
    })
    expectOthersIntact(registry)
    expect(registry.components.filter((c) => c.plugin === 'evil').map((c) => c.id)).toEqual(['evil:real'])
    expect(diagnosticsOf(registry, 'COMPONENT_TOO_LARGE').map((d) => d.file)).toEqual([join(evil, 'agents', 'huge.md')])
    expect(diagnosticsOf(registry, 'COMPONENT_NOT_A_FILE').map((d) => d.file)).toEqual([
      join(evil, 'agents', 'fifo.md'),
    ])
    // A link, to /dev/zero or anywhere, is not followed, as Claude Code follows none.
    expect(diagnosticsOf(registry, 'COMPONENT_LINK_SKIPPED').map((d) => d.file)).toEqual([
      join(evil, 'agents', 'zero.md'),
    ])
  })

  it('does not parse an oversized or deeply nested frontmatter block', () => {
    const { registry, evil } = buildBeside((evil) => {
      writeFiles(evil, {
        'agents/nested.md': `---\nname: nested\norchestration:\n  input: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n---\nbody\n`,
        'agents/long.md': `---\nname: long\n${Array.from({ length: 5000 }, (_, i) => `k${i}: v`).join('\n')}\n---\nbody\n`,
      })
    })
    expectOthersIntact(registry)
    expect(registry.components.filter((c) => c.plugin === 'evil').map((c) => c.id)).toEqual(['evil:real'])
    expect(
      diagnosticsOf(registry, 'SCAN_LIMIT_REACHED')
        .map((d) => d.file)
        .sort(),
    ).toEqual([join(evil, 'agents', 'long.md'), join(evil, 'agents', 'nested.md')])
    expect(registry.plugins.find((p) => p.name === 'evil')!.scanLimit).toBeTruthy()
  })

  it(`stops below ${SCAN_LIMITS.maxDepth} folder levels, as Claude Code does`, () => {
    const { registry, evil } = buildBeside((evil) => {
      const deep = join(evil, 'agents', ...Array.from({ length: 200 }, () => 'd'))
      mkdirSync(deep, { recursive: true })
      writeFileSync(join(deep, 'buried.md'), AGENT)
    })
    expectOthersIntact(registry)
    expect(registry.components.filter((c) => c.plugin === 'evil').map((c) => c.id)).toEqual(['evil:real'])
    const [tooDeep] = diagnosticsOf(registry, 'SCAN_TOO_DEEP')
    expect(tooDeep?.file.startsWith(join(evil, 'agents', 'd'))).toBe(true)
  })

  it(`stops after ${SCAN_LIMITS.maxEntries.toLocaleString('en')} entries and reports the plugin as partly read`, () => {
    const { registry, evil } = buildBeside((evil) => {
      const dir = join(evil, 'commands')
      mkdirSync(dir)
      for (let i = 0; i < SCAN_LIMITS.maxEntries + 10; i++) writeFileSync(join(dir, `c${i}.txt`), '')
    })
    expectOthersIntact(registry)
    const [stopped] = diagnosticsOf(registry, 'SCAN_LIMIT_REACHED')
    expect(stopped?.message).toContain(`scan stopped after ${SCAN_LIMITS.maxEntries.toLocaleString('en')} entries`)
    expect(stopped?.file).toBe(evil)
    expect(registry.plugins.find((p) => p.name === 'evil')!.scanLimit).toContain('entries')
  })

  it('stops when the time budget is spent (a budget of 0 ms stops at the first entry)', () => {
    const evil = testdir({ '.claude-plugin/plugin.json': { name: 'evil' }, 'agents/a.md': AGENT })
    const load = loadPlugin({ root: evil, origin: 'plugin-dir' }, { ...SCAN_LIMITS, maxMillis: 0 })
    expect(load.plugin.scanLimit).toMatch(/ms/)
    expect(load.diagnostics.map((d) => d.code)).toContain('SCAN_LIMIT_REACHED')
  })
})
