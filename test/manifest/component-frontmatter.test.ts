// readComponentFrontmatter hands back, without zod, the blocks zod would hand back unchanged: each
// answer must be zod's.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FRONTMATTER_SCHEMAS, readComponentFrontmatter } from '../../src/manifest/component-frontmatter.ts'
import type { ComponentKind } from '../../src/manifest/component-frontmatter.ts'
import { parseFrontmatter } from '../../src/manifest/frontmatter.ts'

function expectZodsAnswer(kind: ComponentKind, data: Record<string, unknown>): void {
  const zod = FRONTMATTER_SCHEMAS[kind].safeParse(data)
  const read = readComponentFrontmatter(kind, data)
  if (zod.success) expect(read).toEqual({ fields: zod.data, problems: [] })
  else expect(read.problems.length).toBeGreaterThan(0)
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
  ]
  it.each(blocks)('answers a %s block as zod does', (kind, data) => expectZodsAnswer(kind, data))

  it('turns a number in a text field into text, as Claude Code does', () => {
    expect(readComponentFrontmatter('agent', { name: 123 }).fields.name).toBe('123')
  })
})

const corpus = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus')
describe.skipIf(!existsSync(corpus))('readComponentFrontmatter on every component of ../shared/corpus', () => {
  it('answers each as zod does', () => {
    let seen = 0
    const walk = (dir: string, kind: ComponentKind | undefined, depth: number): void => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry)
        const stats = statSync(path, { throwIfNoEntry: false })
        const here =
          entry === 'agents' ? 'agent' : entry === 'commands' ? 'command' : entry === 'skills' ? 'skill' : kind
        if (stats?.isDirectory() && depth < 8 && entry !== 'node_modules') walk(path, here, depth + 1)
        else if (stats?.isFile() && kind && entry.endsWith('.md') && stats.size < 1_048_576) {
          expectZodsAnswer(kind, parseFrontmatter(readFileSync(path, 'utf8')).data)
          seen++
        }
      }
    }
    walk(corpus, undefined, 0)
    expect(seen).toBeGreaterThan(1000)
  })
})
if (!existsSync(corpus))
  console.warn(`component-frontmatter.test.ts: ${corpus} is absent here, so the corpus comparison is skipped`)
