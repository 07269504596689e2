// The shell spans of a command's body, found from each `!` in its bytes, held to the expression that states
// Claude Code's rule (`` !`cmd` `` at a line's start or after whitespace, a ```` ```! ```` block) on the decoded
// text, over hand-picked texts, random ones made of the pieces that matter, random bytes (invalid UTF-8 too),
// and every markdown file of the corpus.
import { describe, expect, it } from 'vitest'
import { readsArgumentsInShell, shellSpans } from '../../src/registry/shell-arguments.ts'
import { corpusMarkdownFiles, HAS_CORPUS, warnWithoutCorpus } from '../helpers/corpus.ts'

const RULE = /(?:^|(?<=\s))!`([^`]*)`|^```!([\s\S]*?)^```/gm

const byRule = (text: string) => [...text.matchAll(RULE)].map((match) => match[1] ?? match[2] ?? '')
const readsByRule = (text: string) => byRule(text).some((span) => /\$(?!\{CLAUDE_)/.test(span))
/** The spans shellSpans finds in the bytes, decoded. */
const spansOf = (bytes: Buffer) => [...shellSpans(bytes)].map(([start, end]) => bytes.toString('utf8', start, end))
const spans = (text: string) => spansOf(Buffer.from(text))
const reads = (text: string) => readsArgumentsInShell(Buffer.from(text))

describe('shell spans', () => {
  it('finds inline spans and blocks where the rule does, and nowhere else', () => {
    const texts = [
      'Run !`git diff $ARGUMENTS` first.',
      '!`ls`\n',
      'no!`ls` here (a word before it)',
      'a\u00a0!`nbsp counts as white space`',
      '```!\necho $1\n```\n',
      'text ```!\nnot at a line start\n```',
      '```!\nnever closed',
      '!`never closed',
      '!`echo !`$x`', // the first span ends at the second backtick: `echo !`, then `$x` is text
      '```!\na\n  ```\nb\n```', // the block ends at the first line that starts with ```
      'x\u2028```!\ny\n```',
      'x\u2029!`y`',
      '\u3000!`a` \u1680!`b` \u2000!`c` \u200a!`d` \u202f!`e` \u205f!`f` \ufeff!`g` \u0085!`h` \u200b!`i`',
      '\r```!\n$0\r```',
      '',
    ]
    for (const text of texts) expect(spans(text), JSON.stringify(text)).toEqual(byRule(text))
    expect(reads('Run !`git diff $ARGUMENTS` first.')).toBe(true)
    expect(reads('no!`ls $1` here')).toBe(false)
    expect(reads('!`ls ${CLAUDE_PLUGIN_ROOT}`')).toBe(false) // Claude Code's own substitution
    expect(reads('```!\ncat "$1"\n```')).toBe(true)
    expect(reads('!`echo !`$x`')).toBe(false)
  })

  it('agrees with the rule on random texts made of the pieces that matter', () => {
    const pieces = [
      '!',
      '`',
      '```',
      '```!',
      '!`',
      '\n',
      '\r',
      '\r\n',
      '\u2028',
      '\u2029',
      ' ',
      '\u00a0',
      '\u3000',
      '\u2000',
      '\u200a',
      '\u200b',
      '\u1680',
      '\u202f',
      '\u205f',
      '\ufeff',
      '\u0085',
      '\t',
      '\v',
      'a',
      '$1',
      '${CLAUDE_PLUGIN_ROOT}',
      '${CLAUDE',
      'é',
      '😀',
    ]
    // xorshift32: every text distinct enough (a float multiply lost precision and cycled after 1,588 texts).
    let seed = 7
    const random = () => {
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      return (seed >>> 0) / 2 ** 32
    }
    const seen = new Set<string>()
    for (let i = 0; i < 20_000; i++) {
      const text = Array.from(
        { length: 1 + Math.floor(random() * 14) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join('')
      seen.add(text)
      expect(spans(text), JSON.stringify(text)).toEqual(byRule(text))
      expect(reads(text), JSON.stringify(text)).toBe(readsByRule(text))
    }
    expect(seen.size).toBeGreaterThan(15_000)
  })

  it('agrees with the rule on random bytes, invalid UTF-8 included', () => {
    // The rule's characters, and the bytes of the white space and line breaks it asks about, in any order:
    // decoded, a broken sequence is U+FFFD.
    const pieces = [
      0x21, 0x60, 0x0a, 0x0d, 0x20, 0x24, 0x61, 0xc2, 0xa0, 0xe2, 0x80, 0xa8, 0xa9, 0x8a, 0xe3, 0xef, 0xbb, 0xbf, 0xf0,
      0x9f,
    ]
    let seed = 11
    const random = () => {
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      return (seed >>> 0) / 2 ** 32
    }
    for (let i = 0; i < 20_000; i++) {
      const bytes = Buffer.from(
        Array.from({ length: 1 + Math.floor(random() * 16) }, () => pieces[Math.floor(random() * pieces.length)]!),
      )
      const text = bytes.toString('utf8')
      expect(spansOf(bytes), bytes.toString('hex')).toEqual(byRule(text))
      expect(readsArgumentsInShell(bytes), bytes.toString('hex')).toBe(readsByRule(text))
    }
  })

  warnWithoutCorpus('shell spans')
  it.skipIf(!HAS_CORPUS)('agrees with the rule on every markdown file of the corpus', () => {
    let withSpans = 0
    for (const { path, bytes } of corpusMarkdownFiles()) {
      const text = bytes.toString('utf8')
      const expected = byRule(text)
      if (expected.length > 0) withSpans++
      expect(spansOf(bytes), path).toEqual(expected)
      expect(readsArgumentsInShell(bytes), path).toBe(readsByRule(text))
    }
    expect(withSpans).toBeGreaterThan(5)
  })
})
