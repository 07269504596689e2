/**
 * Whether a command's or skill's body runs a shell command that may read what it is called with. Claude
 * Code runs `` !`cmd` `` (at a line's start or after whitespace) and a ```` ```! ```` block before the
 * prompt is sent, with `$ARGUMENTS`, `$0`, `$ARGUMENTS[0]` and named arguments pasted in raw, unquoted
 * (docs/claude-code-notes.md, "How Claude Code resolves names"). A `$slot` value Switchboard put into such a
 * call would run as shell: another plugin's return (`x'; rm -rf ~; echo '`) that the model never saw
 * (found by review). So the guard puts no slot value there (guard/inject.ts). Read loosely: any `$` in a
 * shell span counts, except Claude Code's own `${CLAUDE_...}` substitutions; a span that only names those
 * (the plugin's own folder, the session) reads no arguments.
 *
 * Read from the file's bytes, never decoded: every character the rule looks for is ASCII, which UTF-8 never
 * uses inside another character, and the few others it asks about (white space before a `!`, a line break
 * before a fence) are told from their bytes. Decoding the files that hold a span, most of them long, was
 * half the UTF-8 a registry build decoded (measured on the corpus).
 */

/** `bytes` the file as read. */
export function readsArgumentsInShell(bytes: Buffer): boolean {
  if (!opensShellSpan(bytes)) return false
  for (const [start, end] of shellSpans(bytes)) if (readsArguments(bytes, start, end)) return true
  return false
}

/**
 * Where the shell spans of a file's text are, in its bytes, in order: [start, end) of what
 * `/(?:^|(?<=\s))!`([^`]*)`|^```!([\s\S]*?)^```/gm` finds in the decoded text (group 1 or 2 of each match): an
 * inline `` !`…` `` at a line's start or after whitespace, up to the next backtick, and a ```` ```! ```` block
 * from a line's start to the first line that starts with ```` ``` ````. Found from each `!` instead: every
 * match holds one where it starts (a block's fourth character), and that expression tries every position of a
 * long file in turn, each line start for the block. Held to the expression over random texts and bytes and
 * the corpus by test/registry/shell-arguments.test.ts.
 */
export function* shellSpans(bytes: Buffer): Generator<[number, number]> {
  let from = 0
  for (let bang = bytes.indexOf(BANG); bang >= 0; bang = bytes.indexOf(BANG, from)) {
    // A block whose `!` this is starts three backticks before it, ahead of an inline span starting here.
    const fence = bang - 3
    if (fence >= from && isFence(bytes, fence) && isLineStart(bytes, fence)) {
      const close = fenceLine(bytes, bang + 1)
      if (close >= 0) {
        yield [bang + 1, close]
        from = close + 3
        continue
      }
    }
    if (bytes[bang + 1] === BACKTICK && (bang === 0 || spaceBefore(bytes, bang))) {
      const end = bytes.indexOf(BACKTICK, bang + 2)
      if (end >= 0) {
        yield [bang + 2, end]
        from = end + 1
        continue
      }
    }
    from = bang + 1
  }
}

// --- internal ---

const BANG = 0x21
const BACKTICK = 0x60
const DOLLAR = 0x24
/** What follows a `$` in Claude Code's own substitutions, `${CLAUDE_...}`. */
const CLAUDE_SUBSTITUTION = Buffer.from('{CLAUDE_', 'latin1')

/** `/\$(?!\{CLAUDE_)/` on the span bytes[start, end): a `$` not followed, within the span, by `{CLAUDE_`. */
function readsArguments(bytes: Buffer, start: number, end: number): boolean {
  for (let at = bytes.indexOf(DOLLAR, start); at >= 0 && at < end; at = bytes.indexOf(DOLLAR, at + 1)) {
    if (at + 1 + CLAUDE_SUBSTITUTION.length > end) return true
    if (bytes.compare(CLAUDE_SUBSTITUTION, 0, CLAUDE_SUBSTITUTION.length, at + 1, at + 1 + CLAUDE_SUBSTITUTION.length))
      return true
  }
  return false
}

/** Three backticks at `at`. */
function isFence(bytes: Buffer, at: number): boolean {
  return bytes[at] === BACKTICK && bytes[at + 1] === BACKTICK && bytes[at + 2] === BACKTICK
}

/**
 * `^` in a multiline expression: the text's start, or just after a line terminator (\n, \r, U+2028, U+2029,
 * the last two as E2 80 A8 and E2 80 A9). A byte of 0xE2 always starts a character of its own, so those
 * three bytes are that character wherever they are.
 */
function isLineStart(bytes: Buffer, at: number): boolean {
  if (at === 0) return true
  const before = bytes[at - 1]
  if (before === 0x0a || before === 0x0d) return true
  return at >= 3 && bytes[at - 3] === 0xe2 && bytes[at - 2] === 0x80 && (before === 0xa8 || before === 0xa9)
}

/**
 * Whether the character before `at` is one `\s` matches: ASCII's tab to carriage return and space, and
 * U+00A0 (C2 A0), U+1680 (E1 9A 80), U+2000 to U+200A (E2 80 80-8A), U+2028 and U+2029 (E2 80 A8-A9),
 * U+202F (E2 80 AF), U+205F (E2 81 9F), U+3000 (E3 80 80) and U+FEFF (EF BB BF). Each sequence's first byte
 * starts a character of its own (a lead byte is never a continuation), so the bytes are that character.
 */
function spaceBefore(bytes: Buffer, at: number): boolean {
  const last = bytes[at - 1]!
  if (last < 0x80) return last === 0x20 || (last >= 0x09 && last <= 0x0d)
  if (at >= 2 && bytes[at - 2] === 0xc2 && last === 0xa0) return true
  if (at < 3) return false
  const first = bytes[at - 3]
  const middle = bytes[at - 2]
  if (first === 0xe2 && middle === 0x80)
    return last <= 0x8a ? last >= 0x80 : last === 0xa8 || last === 0xa9 || last === 0xaf
  return (
    (first === 0xe1 && middle === 0x9a && last === 0x80) ||
    (first === 0xe2 && middle === 0x81 && last === 0x9f) ||
    (first === 0xe3 && middle === 0x80 && last === 0x80) ||
    (first === 0xef && middle === 0xbb && last === 0xbf)
  )
}

/** The first line start at or after `from` where ```` ``` ```` begins, or -1. */
function fenceLine(bytes: Buffer, from: number): number {
  for (let at = bytes.indexOf(FENCE, from); at >= 0; at = bytes.indexOf(FENCE, at + 1))
    if (isLineStart(bytes, at)) return at
  return -1
}

/** The fence as bytes: a string needle is encoded again at every search. */
const FENCE = Buffer.from('```', 'latin1')

/**
 * Whether the bytes hold `` !` `` or ```` ```! ````, found from each `!` (a memchr): searching for the two
 * strings took a registry build over the corpus about 4 ms for its 830 commands and skills, this 0.1 ms.
 */
function opensShellSpan(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(BANG); at >= 0; at = bytes.indexOf(BANG, at + 1)) {
    if (bytes[at + 1] === BACKTICK) return true
    if (at >= 3 && bytes[at - 1] === BACKTICK && bytes[at - 2] === BACKTICK && bytes[at - 3] === BACKTICK) return true
  }
  return false
}
