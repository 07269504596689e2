// The shell spans of a command's body, found from each `!`, held to the expression that states Claude Code's
// rule (`` !`cmd` `` at a line's start or after whitespace, a ```` ```! ```` block), over hand-picked texts,
// random ones made of the pieces that matter, and every markdown file of the corpus.
import { describe, expect, it } from 'vitest'
import { readsArgumentsInShell, shellSpans } from '../../src/registry/shell-arguments.ts'
import { corpusMarkdownFiles, HAS_CORPUS, warnWithoutCorpus } from '../helpers/corpus.ts'

const RULE = /(?:^|(?<=\s))!`([^`]*)`|^```!([\s\S]*?)^```/gm

const byRule = (text: string) => [...text.matchAll(RULE)].map((match) => match[1] ?? match[2] ?? '')
const reads = (text: string) => readsArgumentsInShell(Buffer.from(text), () => text)

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
      '\r```!\n$0\r```',
      '',
    ]
    for (const text of texts) expect([...shellSpans(text)], JSON.stringify(text)).toEqual(byRule(text))
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
      '\t',
      'a',
      '$1',
      'é',
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
      expect([...shellSpans(text)], JSON.stringify(text)).toEqual(byRule(text))
    }
    expect(seen.size).toBeGreaterThan(15_000)
  })

  warnWithoutCorpus('shell spans')
  it.skipIf(!HAS_CORPUS)('agrees with the rule on every markdown file of the corpus', () => {
    let withSpans = 0
    for (const { path, bytes } of corpusMarkdownFiles()) {
      const text = bytes.toString('utf8')
      const spans = byRule(text)
      if (spans.length > 0) withSpans++
      expect([...shellSpans(text)], path).toEqual(spans)
      expect(
        readsArgumentsInShell(bytes, () => text),
        path,
      ).toBe(spans.some((span) => /\$(?!\{CLAUDE_)/.test(span)))
    }
    expect(withSpans).toBeGreaterThan(5)
  })
})
