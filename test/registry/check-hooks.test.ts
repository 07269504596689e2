// plainlyValid says a hooks event's matcher groups pass the schema without zod: only where zod agrees, and for
// every event of the corpus's hooks files.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { HookMatcherGroupSchema } from '../../src/manifest/index.ts'
import { plainlyValid } from '../../src/registry/check-hooks.ts'
import { CORPUS, HAS_CORPUS, warnWithoutCorpus } from '../helpers/corpus.ts'

const GROUPS = z.array(HookMatcherGroupSchema)

/** plainlyValid never says valid where zod does not. */
function expectZodAgrees(groups: unknown): void {
  if (plainlyValid(groups)) expect(GROUPS.safeParse(groups).success, JSON.stringify(groups)).toBe(true)
}

describe('plainlyValid', () => {
  it('says valid only where zod does, over random groups', () => {
    const handlers: unknown[] = [
      { type: 'command', command: 'x' },
      { type: 'agent', timeout: 10 },
      { type: 'http', timeout: 0 },
      { type: 'prompt', timeout: -1 },
      { type: 'mcp_tool', timeout: 1.5 },
      { type: 'command', timeout: Number.POSITIVE_INFINITY },
      { type: 'command', timeout: Number.NaN },
      { type: 'command', timeout: '10' },
      { type: 'command', timeout: null },
      { type: 'Command' },
      { type: 'shell' },
      {},
      null,
      [],
      'command',
      Object.assign(Object.create(null), { type: 'command' }),
    ]
    const groups: Array<() => unknown> = [
      () => ({ hooks: pickList(handlers) }),
      () => ({ matcher: 'Agent|Task', hooks: pickList(handlers) }),
      () => ({ matcher: '', hooks: pickList(handlers) }),
      () => ({ matcher: 3, hooks: pickList(handlers) }),
      () => ({ matcher: null, hooks: pickList(handlers) }),
      () => ({ matcher: undefined, hooks: pickList(handlers) }),
      () => ({ hooks: 'x' }),
      () => ({ hooks: {} }),
      () => ({}),
      () => null,
      () => [],
      () => ({ hooks: pickList(handlers), extra: { a: 1 } }),
    ]
    let seed = 3
    const random = () => {
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      return (seed >>> 0) / 2 ** 32
    }
    function pickList(from: unknown[]): unknown[] {
      return Array.from({ length: Math.floor(random() * 4) }, () => from[Math.floor(random() * from.length)])
    }
    let valid = 0
    for (let i = 0; i < 5000; i++) {
      const list = Array.from({ length: Math.floor(random() * 4) }, () =>
        groups[Math.floor(random() * groups.length)]!(),
      )
      for (const value of [list, list[0], { hooks: list }]) expectZodAgrees(value)
      if (plainlyValid(list)) valid++
    }
    expect(valid).toBeGreaterThan(100)
    for (const value of [undefined, null, 'x', {}, { 0: { hooks: [] } }]) expect(plainlyValid(value)).toBe(false)
  })

  warnWithoutCorpus('check-hooks.test.ts')
  it.skipIf(!HAS_CORPUS)('answers as zod does for every event of the corpus hooks files', () => {
    let events = 0
    for (const file of corpusHooksFiles()) {
      const config = JSON.parse(readFileSync(file, 'utf8')) as { hooks?: Record<string, unknown> }
      for (const groups of Object.values(config.hooks ?? {})) {
        expect(plainlyValid(groups), file).toBe(GROUPS.safeParse(groups).success)
        events++
      }
    }
    expect(events).toBeGreaterThan(10)
  })
})

function corpusHooksFiles(): string[] {
  const files: string[] = []
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory() && depth < 6 && entry.name !== 'node_modules') walk(path, depth + 1)
      else if (entry.isFile() && entry.name === 'hooks.json' && dir.endsWith('/hooks')) files.push(path)
    }
  }
  walk(CORPUS, 0)
  return files
}
