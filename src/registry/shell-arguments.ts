/**
 * Whether a command's or skill's body runs a shell command that may read what it is called with. Claude
 * Code runs `` !`cmd` `` (at a line's start or after whitespace) and a ```` ```! ```` block before the
 * prompt is sent, with `$ARGUMENTS`, `$0`, `$ARGUMENTS[0]` and named arguments pasted in raw, unquoted
 * (docs/claude-code-notes.md, "How Claude Code resolves names"). A `$slot` value Switchboard put into such a
 * call would run as shell: another plugin's return (`x'; rm -rf ~; echo '`) that the model never saw
 * (found by review). So the guard puts no slot value there (guard/inject.ts). Read loosely: any `$` in a
 * shell span counts, except Claude Code's own `${CLAUDE_...}` substitutions; a span that only names those
 * (the plugin's own folder, the session) reads no arguments.
 */
const READS_ARGUMENTS = /\$(?!\{CLAUDE_)/

/** `bytes` the file as read; `text` its text, decoded only where the bytes hold a shell span's opening. */
export function readsArgumentsInShell(bytes: Buffer, text: () => string): boolean {
  if (!opensShellSpan(bytes)) return false
  for (const span of shellSpans(text())) if (READS_ARGUMENTS.test(span)) return true
  return false
}

/**
 * The shell spans of a text, in order, as `/(?:^|(?<=\s))!`([^`]*)`|^```!([\s\S]*?)^```/gm` finds them
 * (group 1 or 2 of each match): an inline `` !`…` `` at a line's start or after whitespace, up to the next
 * backtick, and a ```` ```! ```` block from a line's start to the first line that starts with ```` ``` ````.
 * Found from each `!` instead: every match holds one where it starts (a block's fourth character), and that
 * expression tries every position of a long file in turn, each line start for the block. Held to the
 * expression over random texts and the corpus by test/registry/shell-arguments.test.ts.
 */
export function* shellSpans(text: string): Generator<string> {
  let from = 0
  for (let bang = text.indexOf('!'); bang >= 0; bang = text.indexOf('!', from)) {
    // A block whose `!` this is starts three backticks before it, ahead of an inline span starting here.
    const fence = bang - 3
    if (fence >= from && text.startsWith('```', fence) && isLineStart(text, fence)) {
      const close = fenceLine(text, bang + 1)
      if (close >= 0) {
        yield text.slice(bang + 1, close)
        from = close + 3
        continue
      }
    }
    if (text[bang + 1] === '`' && (bang === 0 || /\s/.test(text[bang - 1]!))) {
      const end = text.indexOf('`', bang + 2)
      if (end >= 0) {
        yield text.slice(bang + 2, end)
        from = end + 1
        continue
      }
    }
    from = bang + 1
  }
}

/** `^` in a multiline expression: the text's start, or just after a line terminator. */
function isLineStart(text: string, at: number): boolean {
  if (at === 0) return true
  const before = text[at - 1]
  return before === '\n' || before === '\r' || before === '\u2028' || before === '\u2029'
}

/** The first line start at or after `from` where ```` ``` ```` begins, or -1. */
function fenceLine(text: string, from: number): number {
  for (let at = text.indexOf('```', from); at >= 0; at = text.indexOf('```', at + 1))
    if (isLineStart(text, at)) return at
  return -1
}

const BANG = 0x21
const BACKTICK = 0x60

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
