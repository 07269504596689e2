import { join, normalize, resolve } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { childPath, normalFolder, resolvePath } from '../../src/registry/child-path.ts'

describe('childPath', () => {
  it('is join for a normalised folder and entry names', () => {
    const segment = fc.constantFrom('a', 'b', '.', '..', '', '.hidden', 'x y', 'a\\b', '..a', 'SKILL.md')
    const folder = fc
      .array(segment, { maxLength: 5 })
      .chain((parts) =>
        fc.constantFrom(parts.join('/'), `/${parts.join('/')}`, `${parts.join('/')}/`, `//${parts.join('//')}/.`),
      )
    const name = fc.constantFrom('a', 'SKILL.md', '.claude-plugin', '...', 'x y', 'a\\b', '-')
    const names = fc.array(name, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'))
    fc.assert(
      fc.property(folder, names, (dir, entry) => {
        expect(childPath(normalFolder(dir), entry)).toBe(join(dir, entry))
      }),
      { numRuns: 5000 },
    )
  })

  it('handles the root and the empty path', () => {
    expect(childPath(normalize('/'), 'x')).toBe('/x')
    expect(childPath(normalize(''), 'x')).toBe('x')
    expect(childPath(normalize('a/..'), 'x')).toBe('x')
    expect(childPath(normalize('a/../'), 'x')).toBe('x')
  })
})

describe('resolvePath', () => {
  it('is path.resolve, with a base and without', () => {
    const segment = fc.constantFrom('a', 'b', '.', '..', '', '.hidden', 'x y', 'a\\b', '..a', '...')
    const path = fc
      .array(segment, { maxLength: 5 })
      .chain((parts) =>
        fc.constantFrom(parts.join('/'), `/${parts.join('/')}`, `/${parts.join('/')}/`, `//${parts.join('//')}/.`),
      )
    fc.assert(
      fc.property(fc.constantFrom(undefined, '/base/dir', '/', 'relative/base'), path, (base, p) => {
        expect(resolvePath(base, p)).toBe(base === undefined ? resolve(p) : resolve(base, p))
      }),
      { numRuns: 5000 },
    )
    expect(resolvePath('/x', '/')).toBe('/')
    expect(resolvePath('/x', '/a/b/')).toBe('/a/b')
  })
})
