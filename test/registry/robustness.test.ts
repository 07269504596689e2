// Everything others write can be wrong. Whatever is on disk, building the registry returns a
// registry and diagnostics; it never throws. Table-driven over hostile files, plus property tests
// over arbitrary frontmatter and tool lists.
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseFrontmatter } from '../../src/manifest/frontmatter.ts'
import { splitTools } from '../../src/manifest/tools.ts'
import { buildRegistry } from '../../src/registry/index.ts'
import { testdir } from '../helpers/testdir.ts'

const HOSTILE: Record<string, Record<string, string>> = {
  'plugin.json is a list': { '.claude-plugin/plugin.json': '[1, 2]' },
  'plugin.json is null': { '.claude-plugin/plugin.json': 'null' },
  'plugin.json is empty': { '.claude-plugin/plugin.json': '' },
  'plugin.json has a numeric name': { '.claude-plugin/plugin.json': '{"name": 42}' },
  'commands is a number': { '.claude-plugin/plugin.json': '{"name": "p", "commands": 7}' },
  'commands map entry without source or content': {
    '.claude-plugin/plugin.json': '{"name": "p", "commands": {"x": {}}}',
  },
  'switchboard.json is garbage': {
    '.claude-plugin/plugin.json': '{"name": "p"}',
    '.claude-plugin/switchboard.json': '{"defaults": []',
  },
  'hooks.json is a string': { '.claude-plugin/plugin.json': '{"name": "p"}', 'hooks/hooks.json': '"hooks"' },
  'agent frontmatter is a list': { 'agents/a.md': '---\n- a\n- b\n---\nbody' },
  'agent frontmatter with a binary blob': { 'agents/a.md': `---\nname: \u0000\u0001\ndescription: x\n---\n` },
  'orchestration is a string': { 'agents/a.md': '---\nname: a\ndescription: d\norchestration: yes please\n---\n' },
  'orchestration with a huge nesting': {
    'agents/a.md': `---\nname: a\ndescription: d\norchestration:\n  input: ${'['.repeat(200)}${']'.repeat(200)}\n---\n`,
  },
  'skill folder with SKILL.md as a folder': { 'skills/s/SKILL.md/x': 'x' },
  'marketplace plugins is an object': { '.claude-plugin/marketplace.json': '{"name": "m", "plugins": {"a": 1}}' },
  'marketplace entries are null': { '.claude-plugin/marketplace.json': '{"name": "m", "plugins": [null, 3, "x"]}' },
}

describe('hostile plugin files never crash the registry', () => {
  it.each(Object.entries(HOSTILE))('%s', (_name, files) => {
    const root = testdir(files)
    const registry = buildRegistry({
      cwd: root,
      env: { HOME: join(root, 'home') },
      installed: false,
      pluginDirs: [root],
      marketplaceRoots: [root],
    })
    // Each file is wrong in a way a plugin author must hear about: never silently dropped.
    expect(registry.diagnostics.map((d) => d.severity)).toContainEqual(expect.stringMatching(/^(error|warning)$/))
    for (const d of registry.diagnostics) {
      expect(d.message.length).toBeGreaterThan(10)
      expect(d.file).toBeTruthy()
    }
  })

  it('survives broken Claude Code state files', () => {
    const home = testdir({
      '.claude/plugins/installed_plugins.json':
        '{"version": 2, "plugins": {"a@m": [null, {"installPath": 5}], "b@m": "x"}}',
      '.claude/plugins/known_marketplaces.json': '[]',
      '.claude/settings.json': '{"enabledPlugins": ["a@m"]}',
    })
    const registry = buildRegistry({ cwd: home, env: { HOME: home } })
    expect(registry.plugins).toEqual([])
    expect(registry.diagnostics.map((d) => d.code).sort()).toEqual([
      'INSTALLED_PLUGINS_UNREADABLE',
      'INSTALLED_PLUGINS_UNREADABLE',
      'INSTALLED_PLUGINS_UNREADABLE',
      'SETTINGS_ENABLED_PLUGINS_INVALID',
    ])
  })
})

describe('properties', () => {
  it('parseFrontmatter never throws and always yields an object', () => {
    const line = fc.oneof(
      fc.string(),
      fc.constantFrom('---', 'name: x', 'description: a: b', '\t- y', 'tools: [Read', '"', "key: 'v", '# c'),
    )
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.boolean(), (lines, crlf) => {
        const text = lines.join(crlf ? '\r\n' : '\n')
        const result = parseFrontmatter(text)
        expect(typeof result.data).toBe('object')
        expect(['absent', 'parsed', 'recovered', 'dropped']).toContain(result.status)
      }),
      { numRuns: 2000 },
    )
  })

  it('splitTools keeps every non-separator character, in order', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('A', 'b', '(', ')', ',', ' ', ':', '*') }), (text) => {
        const parts = splitTools(text)
        expect(parts.join('').replace(/[\s,]/g, '')).toBe(text.replace(/[\s,]/g, ''))
        for (const part of parts) expect(part).toBe(part.trim())
      }),
      { numRuns: 2000 },
    )
  })
})
