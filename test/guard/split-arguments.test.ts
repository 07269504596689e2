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

  // A shell refuses a line whose quote is never closed; taken as closed at the end, the quote swallowed the words
  // after it into one value (found by a newcomer).
  it.each([
    ['text="unterminated length=short', 'the double quote at character 6 is never closed'],
    ["a 'b", 'the single quote at character 3 is never closed'],
    ['a "b\\" c', 'the double quote at character 3 is never closed'],
  ])('refuses %j', (input, message) => {
    expect(() => splitArguments(input)).toThrow(message)
  })
})
