import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { plainManifest } from '../../src/manifest/plain-manifest.ts'
import { PluginManifestSchema } from '../../src/manifest/plugin-manifest.ts'
import { CORPUS, HAS_CORPUS, warnWithoutCorpus } from '../helpers/corpus.ts'

/** The fast read either declines or gives what zod gives, keys in the same order. */
function expectSameOrDeclined(raw: Record<string, unknown>): 'fast' | 'declined' {
  const fast = plainManifest(raw)
  if (fast === undefined) return 'declined'
  const zod = PluginManifestSchema.safeParse(raw)
  expect({ raw, success: zod.success }).toEqual({ raw, success: true })
  expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data))
  expect(fast).toStrictEqual(zod.data)
  return 'fast'
}

function corpusManifests(): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = []
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'node_modules') continue
      const path = join(dir, entry.name)
      if (entry.name === '.claude-plugin') {
        try {
          found.push(JSON.parse(readFileSync(join(path, 'plugin.json'), 'utf8')))
        } catch {}
      } else if (depth < 4) walk(path, depth + 1)
    }
  }
  walk(CORPUS, 0)
  return found
}

describe('plainManifest: plugin.json as PluginManifestSchema reads it, or zod decides', () => {
  it('agrees with zod on every manifest of the corpus, and reads most of them', () => {
    if (!HAS_CORPUS) return warnWithoutCorpus('plainManifest corpus check')
    const manifests = corpusManifests()
    const fast = manifests.filter((raw) => expectSameOrDeclined(raw) === 'fast').length
    expect(manifests.length).toBeGreaterThan(100)
    expect(fast / manifests.length).toBeGreaterThan(0.9)
  })

  it('agrees with zod on hostile manifests', () => {
    const text = fc.oneof(
      fc.constantFrom('', ' ', 'code-review', 'a@b', 'a:b', 'a/b', 'a\\b', 'a b', 'a\u00a0b', 'a\u2028b', 'Ab_C'),
      fc.constantFrom(
        'https://example.com',
        ' https://example.com/x\t',
        'example.com',
        'https://exa mple.com',
        'mailto:x',
      ),
      fc.constantFrom('.', './', './a.md', './h.json', 'a.md', '../a.md', './.md', '.\\a.md', './a.MD'),
      fc.string({ maxLength: 8 }),
    )
    const value = fc.oneof(
      text,
      fc.constant(undefined),
      fc.constant(null),
      fc.integer(),
      fc.boolean(),
      fc.array(fc.oneof(text, fc.integer()), { maxLength: 3 }),
      fc.array(text, { maxLength: 3 }),
      fc.dictionary(
        fc.constantFrom('name', 'email', 'url', 'type', '__proto__', 'x'),
        fc.oneof(text, fc.integer(), fc.constant(undefined)),
        {
          maxKeys: 4,
        },
      ),
    )
    const key = fc.constantFrom(
      'name',
      'name',
      'version',
      'description',
      'displayName',
      '$schema',
      'license',
      'author',
      'homepage',
      'repository',
      'keywords',
      'dependencies',
      'skills',
      'hooks',
      'defaultEnabled',
      'agents',
      'commands',
      'outputStyles',
      'workflows',
      'mcpServers',
      'lspServers',
      'category',
      '__proto__',
      'constructor',
      'toString',
    )
    const outcomes = { fast: 0, declined: 0 }
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), fc.constantFrom('code-review', 'x', ''), (raw, name) => {
        outcomes[expectSameOrDeclined(raw)]++
        outcomes[expectSameOrDeclined({ name, ...raw })]++
        outcomes[expectSameOrDeclined({ ...raw, name })]++
        outcomes[expectSameOrDeclined(JSON.parse(JSON.stringify({ ...raw, name })))]++
      }),
      { numRuns: 4000 },
    )
    // Both ways are taken often enough for the agreement to mean something.
    expect(outcomes.fast).toBeGreaterThan(1000)
    expect(outcomes.declined).toBeGreaterThan(1000)
  })
})
