/**
 * Generated spellings of an agent id, for the resolver's property test and the end-to-end sample run
 * on the real Claude Code. Accepted spellings change case, insert runs of Unicode whitespace, dash
 * punctuation and `_`, and swap characters for NFKC look-alikes (full-width forms, the small colon);
 * broken ones insert characters Claude Code keeps (zero-width and format characters, the minus sign).
 */
import fc from 'fast-check'

const SEPARATORS = [' ', '\t', '\u00a0', '\u3000', '\u2009', '-', '\u2010', '\u2013', '\u2014', '\uff0d', '_', '\uff3f']
const KEPT = ['\u200b', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u2212']

/** A spelling Claude Code resolves to `id` (Agent tool). */
export function agentSpelling(id: string): fc.Arbitrary<string> {
  const characters = [...id].map((ch) =>
    fc
      .tuple(fc.constantFrom('same', 'upper', 'wide'), fc.array(fc.constantFrom(...SEPARATORS), { maxLength: 2 }))
      .map(([form, before]) => before.join('') + transform(ch, form)),
  )
  return fc
    .tuple(...characters, fc.array(fc.constantFrom(...SEPARATORS), { maxLength: 2 }))
    .map((parts) => parts.flat().join(''))
}

/** A spelling Claude Code does not resolve to `id`: a kept invisible character inside, or the prefix dropped. */
export function brokenSpelling(id: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc
      .tuple(fc.integer({ min: 1, max: id.length - 1 }), fc.constantFrom(...KEPT))
      .map(([at, ch]) => id.slice(0, at) + ch + id.slice(at)),
    fc.constant(id.slice(id.lastIndexOf(':') + 1)),
  )
}

// --- internal ---

function transform(ch: string, form: string): string {
  if (form === 'upper') return ch.toUpperCase()
  if (form === 'wide') {
    if (ch === ':') return '\ufe55' // SMALL COLON, NFKC ':'
    const code = ch.charCodeAt(0)
    return code > 0x20 && code < 0x7f ? String.fromCharCode(code + 0xfee0) : ch
  }
  return ch
}
