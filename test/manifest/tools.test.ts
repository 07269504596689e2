import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseToolList, splitTools } from '../../src/manifest/tools.ts'

describe('parseToolList', () => {
  it.each([
    ['Read, Grep', ['Read', 'Grep']],
    ['Read Grep Glob', ['Read', 'Grep', 'Glob']],
    ['Read,Grep', ['Read', 'Grep']],
    ['Bash(git add:*, git commit:*), Read', ['Bash(git add:*, git commit:*)', 'Read']],
    ['Bash(gh *)', ['Bash(gh *)']],
    ['mcp__plugin_x_y__tool', ['mcp__plugin_x_y__tool']],
    // Only U+0020 and commas cut; parts are trimmed (probed on 2.1.197 and 2.1.332: the agent got no tools).
    ['Read\tGrep', ['Read\tGrep']],
    ['Read\u00a0Grep', ['Read\u00a0Grep']],
    ['Read\nGrep', ['Read\nGrep']],
    ['Read,\tGrep', ['Read', 'Grep']],
  ])('splits %j outside parentheses', (input, expected) => {
    expect(parseToolList(input)).toEqual(expected)
  })

  it('splits each string item of a list and skips other items', () => {
    expect(parseToolList(['Read', 'Grep Glob', 3, null])).toEqual(['Read', 'Grep', 'Glob'])
  })

  it('means every tool when absent or "*", and none when empty', () => {
    expect(parseToolList(undefined)).toBeNull()
    expect(parseToolList('*')).toBeNull()
    expect(parseToolList(['Read', '*'])).toBeNull()
    expect(parseToolList(null)).toEqual([])
    expect(parseToolList('')).toEqual([])
    expect(parseToolList([])).toEqual([])
  })

  it('treats a parenthesis as an on/off flag, not a depth, like Claude Code', () => {
    expect(splitTools('A(b(c), d) e')).toEqual(['A(b(c)', 'd)', 'e'])
  })
})

/** splitTools as it was written first, a character at a time: the sliced one must cut the same. */
function splitToolsByCharacter(text: string): string[] {
  const parts: string[] = []
  let inParentheses = false
  let current = ''
  const flush = (): void => {
    if (current.trim()) parts.push(current.trim())
    current = ''
  }
  for (const ch of text) {
    if (ch === '(') inParentheses = true
    else if (ch === ')') inParentheses = false
    if (!inParentheses && (ch === ',' || ch === ' ')) flush()
    else current += ch
  }
  flush()
  return parts
}

describe('splitTools', () => {
  it('cuts as a character-by-character reading does, on random texts', () => {
    const unit = fc.constantFrom('A', 'b', '(', ')', ',', ' ', '\t', '\n', '\u00a0', '\u2028', '*', '😀', '\ud800')
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        expect(splitTools(text)).toEqual(splitToolsByCharacter(text))
      }),
      { numRuns: 5000 },
    )
  })
})
