// A component file is decoded only through its frontmatter (component-text.ts); what Claude Code's
// frontmatter rule reads from the head must be what it reads from the whole file.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseFrontmatter } from '../../src/manifest/frontmatter.ts'
import { componentText } from '../../src/registry/component-text.ts'
import { buildRegistry } from '../../src/registry/index.ts'
import { corpusMarkdownFiles, HAS_CORPUS, warnWithoutCorpus } from '../helpers/corpus.ts'
import { testdir } from '../helpers/testdir.ts'

function expectSameReading(bytes: Buffer): void {
  const { head, full } = componentText(bytes)
  const whole = bytes.toString('utf8')
  expect(full()).toBe(whole)
  expect(whole.startsWith(head)).toBe(true)
  const fromHead = parseFrontmatter(head)
  const fromWhole = parseFrontmatter(whole)
  expect({ status: fromHead.status, data: fromHead.data, yamlError: fromHead.yamlError }).toEqual({
    status: fromWhole.status,
    data: fromWhole.data,
    yamlError: fromWhole.yamlError,
  })
}

describe('componentText: the head a component file is parsed from', () => {
  const cases: Record<string, string> = {
    'plain block and body': '---\nname: a\ndescription: b\n---\n\n# Body\n\ntext ü\n',
    'closing fence mid-line': '---\ndescription: value with a---b inside\n---\nbody',
    'closing fence then spaces and blank lines': '---\nname: a\n---   \n\n\nbody',
    'no newline after the closing fence': '---\nname: a\n---',
    'a byte order mark': '\ufeff---\nname: bom\n---\nbody',
    'no frontmatter': '# Title\n\nbody',
    'a blank line before the fence': '\n---\nname: a\n---\n',
    'never closed': '---\nname: a\nbody without a fence',
    'a longer opening fence': '------\nname: a\n---\n',
    'multibyte text on both sides': '---\nname: café ☕\n---\n日本語 body\n',
    empty: '',
  }
  it.each(Object.entries(cases))('reads %s as the whole file reads', (_, text) => {
    expectSameReading(Buffer.from(text, 'utf8'))
  })

  it('decodes the body only when asked', () => {
    const { head } = componentText(Buffer.from('---\nname: a\n---\nBODY\n'))
    expect(head).toBe('---\nname: a\n---\n')
  })

  it('keeps a character cut by nothing: invalid bytes before the cut decode as in the whole file', () => {
    expectSameReading(Buffer.concat([Buffer.from('---\nname: a'), Buffer.from([0xe2, 0x0a]), Buffer.from('---\nx')]))
  })
})

describe('a description from the body, past the decoded head', () => {
  it("takes a command's first body line when its frontmatter gives no description", () => {
    const root = testdir({
      'tools/.claude-plugin/plugin.json': { name: 'tools' },
      'tools/commands/check.md': '---\nargument-hint: <file>\n---\n\n\n# Check the file ☑\n\nBody.\n',
      'tools/skills/tidy/SKILL.md': '\ufeff---\nname: tidy\n---   \n  Tidy the notes  \nMore.\n',
    })
    const registry = buildRegistry({
      cwd: root,
      env: { HOME: join(root, 'home') },
      installed: false,
      pluginDirs: [join(root, 'tools')],
    })
    expect(registry.components.map((c) => [c.id, c.description, c.descriptionFrom])).toEqual([
      ['tools:check', 'Check the file ☑', 'body'],
      ['tools:tidy', 'Tidy the notes', 'body'],
    ])
  })
})

describe.skipIf(!HAS_CORPUS)('componentText on every markdown file of ../shared/corpus', () => {
  it('parses each head as its whole file', () => {
    const files = corpusMarkdownFiles()
    for (const { bytes } of files) expectSameReading(bytes)
    expect(files.length).toBeGreaterThan(1000)
  })
})
warnWithoutCorpus('component-text.test.ts')
