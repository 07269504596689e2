// readComponentFrontmatter hands back, without zod, the blocks zod would hand back unchanged: each
// answer must be zod's.
import { describe, expect, it } from 'vitest'
import { FRONTMATTER_SCHEMAS, readComponentFrontmatter } from '../../src/manifest/component-frontmatter.ts'
import type { ComponentKind } from '../../src/manifest/component-frontmatter.ts'
import { parseFrontmatter } from '../../src/manifest/frontmatter.ts'
import { corpusMarkdownFiles, HAS_CORPUS, warnWithoutCorpus } from '../helpers/corpus.ts'

function expectZodsAnswer(kind: ComponentKind, data: Record<string, unknown>): void {
  const zod = FRONTMATTER_SCHEMAS[kind].safeParse(data)
  const read = readComponentFrontmatter(kind, data)
  if (zod.success) {
    expect(read).toEqual({ fields: zod.data, problems: [] })
    // A block handed back as it is keeps its order; one made anew has zod's (withListedHint).
    if (read.fields !== data) expect(JSON.stringify(read.fields)).toBe(JSON.stringify(zod.data))
  } else expect(read.problems.length).toBeGreaterThan(0)
}

describe('readComponentFrontmatter', () => {
  const blocks: Array<[ComponentKind, Record<string, unknown>]> = [
    ['agent', { name: 'a', description: 'b', tools: 'Read, Grep', model: 'sonnet', color: 'blue', extra: [1] }],
    ['agent', { name: 123, description: true }],
    ['agent', { description: null }],
    ['agent', { maxTurns: '20', background: 'yes' }],
    ['command', { description: 'c', 'argument-hint': ['file'], 'disable-model-invocation': 'on' }],
    ['command', { description: 'c', 'allowed-tools': ['Read'], orchestration: { callable: false } }],
    ['skill', { name: 's', description: 'd', license: 'MIT', paths: ['src/**'], tools: 'Read' }],
    ['skill', { constructor: 'x', toString: 'y', description: 'd' }],
    ['command', { x: 1, 'argument-hint': ['a', 2, true], 'allowed-tools': 'Read', name: 'n', y: [2] }],
    ['skill', { 'argument-hint': [], paths: 'a', model: 'm', 'when-to-use': 'w' }],
    ['command', { 'argument-hint': ['a'], name: 3 }],
    ['command', { 'argument-hint': ['a'], constructor: 'x' }],
    ['agent', { 'argument-hint': ['a'], name: 'n' }],
  ]
  it.each(blocks)('answers a %s block as zod does', (kind, data) => expectZodsAnswer(kind, data))

  it('answers as zod does for every field and value kind, in each kind of component', () => {
    const fields = ['name', 'tools', 'allowed-tools', 'disallowedTools', 'disallowed-tools', 'maxTurns', 'background']
    fields.push('argument-hint', 'disable-model-invocation', 'user-invocable', 'paths', 'license', 'orchestration', 'x')
    const values: unknown[] = [
      'text',
      '',
      12,
      0,
      1,
      1.5,
      Number.POSITIVE_INFINITY,
      Number.NaN,
      true,
      false,
      null,
      'yes',
    ]
    values.push('off', [], ['Read', 'Grep'], ['Read', 3], [true], [null], { a: 1 }, [['nested']])
    values.push([1.5, -0, 'a b'], [Number.POSITIVE_INFINITY], [Number.NaN], [{}], [undefined])
    let checked = 0
    for (const kind of ['agent', 'command', 'skill'] as const)
      for (const field of fields)
        for (const value of values) {
          expectZodsAnswer(kind, { description: 'd', [field]: value })
          checked++
        }
    expect(checked).toBe(3 * fields.length * values.length)
  })

  it('turns a number in a text field into text, as Claude Code does', () => {
    expect(readComponentFrontmatter('agent', { name: 123 }).fields.name).toBe('123')
  })
})

describe.skipIf(!HAS_CORPUS)('readComponentFrontmatter on every component of ../shared/corpus', () => {
  it('answers each as zod does', () => {
    const components = corpusMarkdownFiles().filter((file) => file.kind !== undefined)
    for (const { bytes, kind } of components) expectZodsAnswer(kind!, parseFrontmatter(bytes.toString('utf8')).data)
    expect(components.length).toBeGreaterThan(1000)
  })
})
warnWithoutCorpus('component-frontmatter.test.ts')
