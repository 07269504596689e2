import { describe, expect, it } from 'vitest'
import { isLexicallyInside, lexicalResolve } from '../../src/common/core.ts'

describe('lexical paths', () => {
  it('resolves . and .. by text, never above the root', () => {
    expect(lexicalResolve('/p/q', '../../etc/passwd')).toBe('/etc/passwd')
    expect(lexicalResolve('/p', 'a/./b//../c')).toBe('/p/a/c')
    expect(lexicalResolve('/p', '/x/../../../y')).toBe('/y')
  })
  it('tells inside from outside, siblings with a shared prefix included', () => {
    expect(isLexicallyInside('/p/proj', '/p/proj/a.md')).toBe(true)
    expect(isLexicallyInside('/p/proj', '/p/proj')).toBe(true)
    expect(isLexicallyInside('/p/proj/', '/p/proj/sub/../a')).toBe(true)
    expect(isLexicallyInside('/p/proj', '/p/project-2/a.md')).toBe(false)
    expect(isLexicallyInside('/p/proj', '/p/proj/../x')).toBe(false)
    expect(isLexicallyInside('/', '/anything')).toBe(true)
  })
})
