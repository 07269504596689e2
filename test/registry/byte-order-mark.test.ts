// A byte order mark, as editors on Windows save one: Claude Code 2.1.331 and later skip it, and so does the
// registry; 2.1.197 does not (probed: a plugin.json with one is "a corrupt manifest file", an agent file with one
// loads with no frontmatter). Found by a newcomer: `check` said "No problems found". Now a warning names the file.
import { describe, expect, it } from 'vitest'
import { buildRegistry } from '../../src/registry/index.ts'
import { testdir } from '../helpers/testdir.ts'

const BOM = '\uFEFF'

describe('a file that starts with a byte order mark', () => {
  it('is read as Claude Code 2.1.331 reads it, with a warning for 2.1.197', () => {
    const root = testdir({
      'bom/.claude-plugin/plugin.json': `${BOM}{"name": "bom", "version": "1.0.0"}`,
      'bom/agents/summarise.md': `${BOM}---\nname: summarise\ndescription: Sums up\ntools: Read\n---\nSum.\n`,
      'plain/.claude-plugin/plugin.json': '{"name": "plain", "version": "1.0.0"}',
      'plain/agents/summarise.md': '---\nname: summarise\ndescription: Sums up\n---\nSum.\n',
    })
    const registry = buildRegistry({
      cwd: root,
      env: { HOME: testdir() },
      installed: false,
      pluginDirs: [`${root}/bom`, `${root}/plain`],
    })
    expect(registry.components.map((c) => [c.id, c.tools])).toEqual([
      ['bom:summarise', ['Read']],
      ['plain:summarise', null],
    ])
    const warned = registry.diagnostics.filter((d) => d.code === 'FILE_BYTE_ORDER_MARK')
    expect(warned.map((d) => [d.severity, d.file.slice(root.length)])).toEqual([
      ['warning', '/bom/.claude-plugin/plugin.json'],
      ['warning', '/bom/agents/summarise.md'],
    ])
    expect(warned[0]!.message).toContain('2.1.197 refuses the plugin as a corrupt manifest')
    expect(warned[1]!.message).toContain('2.1.197 reads no frontmatter in it')
  })
})
