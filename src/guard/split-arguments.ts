/**
 * Splits a command line the way a shell would for plain words: whitespace separates, single and
 * double quotes group, a backslash escapes the next character. No expansion of any kind, so `$slot`
 * stays `$slot`. Used for a slash command's arguments, which arrive as one string. A quote never closed
 * throws UnclosedQuote, as a shell refuses the line: taken as closed at the end, it swallowed the words after it
 * into one value (`text="unterminated length=short`; found by a newcomer).
 */
export function splitArguments(text: string): string[] {
  const words: string[] = []
  let current = ''
  let quote: '"' | "'" | null = null
  let openedAt = 0
  let started = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quote) {
      if (ch === quote) quote = null
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) current += text[++i]
      else current += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      openedAt = i
      started = true
    } else if (ch === '\\' && i + 1 < text.length) {
      current += text[++i]
      started = true
    } else if (/\s/.test(ch)) {
      if (started) words.push(current)
      current = ''
      started = false
    } else {
      current += ch
      started = true
    }
  }
  if (quote) throw new UnclosedQuote(quote, openedAt)
  if (started) words.push(current)
  return words
}

export class UnclosedQuote extends Error {
  constructor(quote: string, at: number) {
    super(
      `the ${quote === '"' ? 'double' : 'single'} quote at character ${at + 1} is never closed; close it, or write \\${quote} for the character itself`,
    )
  }
}
