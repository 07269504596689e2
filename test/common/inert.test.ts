import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inert, inertJson } from '../../src/common/index.ts'

// Every character a terminal or a line-based reader could act on: controls, line and paragraph
// separators, bidi controls, lone surrogates; and what shows as nothing: invisible format characters,
// Hangul fillers, tag characters, and joiners or variation selectors right after ASCII.
const JOINER = '(?:[\\u200c\\u200d\\ufe00-\\ufe0f]|\\udb40[\\udd00-\\uddef])'
// Not a letter: ASCII, Latin-1 controls and what inert escapes (the Latin-1 letters are added back).
const NOT_A_LETTER =
  '\\u0000-\\u00ff\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069\\u115f\\u1160\\u180e\\u200b\\u2060-\\u2064\\u206a-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb'
const LETTER = `(?:[^${NOT_A_LETTER}\\u200c\\u200d\\ufe00-\\ufe0f\\ud800-\\udfff]|[\\u00a0-\\u00ac\\u00ae-\\u00ff]|[\\ud800-\\udb3f\\udb41-\\udbff][\\udc00-\\udfff])`
const UNSAFE = new RegExp(
  [
    '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069\\u00ad\\u115f\\u1160\\u180e\\u200b\\u2060-\\u2064\\u206a-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb]',
    '\\udb40[\\udc00-\\udc7f]',
    `(?<!${LETTER}${JOINER}*)${JOINER}`,
    '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]',
  ].join('|'),
)
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
      '\udb40',
      '\udc41',
      '\udd00',
      '\u200b',
      '\u200d',
      '\u200c',
      '\ufe0f',
      '\u00ad',
      '\u3164',
      '\ufeff',
      '\u2764',
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

  it('shows what would print as nothing: a name made to look like another, text hidden in tags', () => {
    expect(inert('tdd-editor\u200b')).toBe('tdd-editor\\u200b')
    expect(inert('tdd-editor\u200d')).toBe('tdd-editor\\u200d')
    expect(inert('\ufe0ftdd-editor')).toBe('\\ufe0ftdd-editor')
    expect(inert('tdd\u00ad-editor\u3164')).toBe('tdd\\xad-editor\\u3164')
    // "Formats code." and, in tag characters, "Hi": an order to the model the person cannot see.
    const tags = [...'Hi'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('')
    expect(inert(`Formats code.${tags}`)).toBe('Formats code.\\u{e0048}\\u{e0069}')
    expect(JSON.parse(inertJson(`Formats code.${tags}`))).toBe(`Formats code.${tags}`)
    expect(inertJson(`Formats code.${tags}`)).toBe('"Formats code.\\udb40\\udc48\\udb40\\udc69"')
  })

  it('keeps the joiners and variation selectors that emoji and other scripts need', () => {
    for (const text of ['❤\ufe0f', '👩\u200d💻', '👁\ufe0f\u200d🗨\ufe0f', '🔥\ufe0f', 'می\u200cخواهم', 'क्\u200dष'])
      expect(inert(text)).toBe(text)
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

describe('inert and inertJson on long runs of joiners', () => {
  // The rule as it was written before, as one lookbehind: the reference the linear scan must agree with.
  const INVISIBLE =
    '\\u00ad\\u115f\\u1160\\u180e\\u200b\\u2060-\\u2064\\u206a-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb'
  const RAW = `\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069${INVISIBLE}`
  const JOINER = '(?:[\\u200c\\u200d\\ufe00-\\ufe0f]|\\udb40[\\udd00-\\uddef])'
  const LETTER = `(?:[^\\u0000-\\u00ff${RAW}\\u200c\\u200d\\ufe00-\\ufe0f\\ud800-\\udfff]|[\\u00a0-\\u00ac\\u00ae-\\u00ff]|[\\ud800-\\udb3f\\udb41-\\udbff][\\udc00-\\udfff])`
  const LONE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]'
  const REFERENCE = new RegExp(
    `[\\\\\\u0000-\\u001f${RAW}]|\\udb40[\\udc00-\\udc7f]|(?<!${LETTER}${JOINER}*)${JOINER}|${LONE}`,
    'g',
  )
  const PIECES = [
    'a',
    '-',
    ' ',
    '\\',
    'é',
    '\u00ad',
    'ک',
    '👍',
    '\u200d',
    '\u200c',
    '\ufe0f',
    '\udb40\udd00',
    '\udb40\udc41',
    '\u200b',
    '\ud800',
    '\udc00',
    '\n',
    '\u202e',
    '"',
  ]

  it('escapes exactly what the lookbehind rule escaped, on random text', () => {
    const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }).map((pieces) => pieces.join(''))
    fc.assert(
      fc.property(text, (t) => {
        expect(inert(t)).toBe(t.replace(REFERENCE, escapedAlone))
        expect(inertJson(t)).toBe(
          (JSON.stringify(t) ?? '').replace(REFERENCE, (ch) =>
            /^[\\\u0000-\u001f]$|^[\ud800-\udfff]$/.test(ch)
              ? ch
              : Array.from(
                  { length: ch.length },
                  (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`,
                ).join(''),
          ),
        )
      }),
      { numRuns: 3000 },
    )
  })

  // A hang bound, not a speed figure: the lookbehind took 54 s here, a linear pass takes milliseconds. Vitest
  // cannot time out a synchronous test, so the bound is asserted.
  it('reads 100,000 joiners after a name in one pass (a lookbehind over them took a minute)', () => {
    const started = performance.now()
    const padded = `tdd-design:x${'\u200d'.repeat(100_000)}`
    expect(inert(padded)).toBe(`tdd-design:x${'\\u200d'.repeat(100_000)}`)
    expect(inertJson(padded)).toBe(`"tdd-design:x${'\\u200d'.repeat(100_000)}"`)
    const emoji = `👍${'\u200d'.repeat(100_000)}`
    expect(inert(emoji)).toBe(emoji)
    expect(performance.now() - started).toBeLessThan(20_000)
  })
})

/** How inert shows one character it escapes, whatever comes before it. */
function escapedAlone(ch: string): string {
  const code = ch.codePointAt(0)!
  const named: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }
  if (named[ch]) return named[ch]
  if (code > 0xffff) return `\\u{${code.toString(16)}}`
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}
