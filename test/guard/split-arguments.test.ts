import { describe, expect, it } from 'vitest'
import { splitArguments } from '../../src/guard/core.ts'

describe('splitArguments', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    ['content="two words" style=flat', ['content=two words', 'style=flat']],
    ["draft='$article' x=\\$y", ['draft=$article', 'x=$y']],
    ['empty="" tail', ['empty=', 'tail']],
    ['', []],
  ])('%j', (input, expected) => {
    expect(splitArguments(input)).toEqual(expected)
  })
})
