import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inert, inertJson } from '../../src/common/index.ts'

// Every character a terminal or a line-based reader could act on: controls, line and paragraph
// separators, bidi controls, lone surrogates.
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
const hostile = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom(
      '\\',
      'n',
      'x',
      '1',
      'b',
      'u',
      '\n',
      '\r',
      '\t',
      '\u001b',
      '[',
      '\u0085',
      '\u009b',
      '\u007f',
      '\u2028',
      '\u202e',
      '\u2066',
      '\ud800',
      '\udc00',
      'é',
      '└─ ',
    ),
  }),
)

describe('inert', () => {
  it('never lets a control character, line break or bidi control through', () => {
    fc.assert(
      fc.property(hostile, (text) => !UNSAFE.test(inert(text))),
      { numRuns: 2_000 },
    )
  })

  it('keeps distinct inputs distinct', () => {
    fc.assert(
      fc.property(hostile, hostile, (a, b) => a === b || inert(a) !== inert(b)),
      { numRuns: 2_000 },
    )
  })

  it('leaves ordinary text as it is', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }).filter((t) => !UNSAFE.test(t) && !t.includes('\\')),
        (text) => inert(text) === text,
      ),
    )
    expect(inert('tdd-editor:editor  résumé 😀 └─')).toBe('tdd-editor:editor  résumé 😀 └─')
  })

  it('shows what it escaped', () => {
    expect(inert('evil\n└─ main -> x (agent)  ok\u001b[2J')).toBe('evil\\n└─ main -> x (agent)  ok\\x1b[2J')
    expect(inert('a\r\tb\u0000\u007f\u009b\u2028\u2029\u202e\u2066\\n')).toBe(
      'a\\r\\tb\\x00\\x7f\\x9b\\u2028\\u2029\\u202e\\u2066\\\\n',
    )
    expect(inert('\ud800x')).toBe('\\ud800x')
  })
})

describe('inertJson', () => {
  it('is the same JSON value, with nothing a terminal acts on', () => {
    fc.assert(
      fc.property(fc.jsonValue(), hostile, (value, text) => {
        const out = inertJson({ value, text }, 2)
        expect(UNSAFE.test(out.replace(/\n */g, ''))).toBe(false) // the indentation's own newlines aside
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify({ value, text })))
      }),
    )
  })
})
