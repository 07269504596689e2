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
const SHELL_SPAN = /(?:^|(?<=\s))!`([^`]*)`|^```!([\s\S]*?)^```/gm
const READS_ARGUMENTS = /\$(?!\{CLAUDE_)/

/** `bytes` the file as read; `text` its text, decoded only where the bytes hold a shell span's opening. */
export function readsArgumentsInShell(bytes: Buffer, text: () => string): boolean {
  if (bytes.indexOf('!`', 0, 'latin1') < 0 && bytes.indexOf('```!', 0, 'latin1') < 0) return false
  for (const match of text().matchAll(SHELL_SPAN)) if (READS_ARGUMENTS.test(match[1] ?? match[2] ?? '')) return true
  return false
}
