/**
 * A value as an argument or a workflow input gives it: `@path` names a file to read, `@@text` is the text
 * `@text`, anything else is the text itself. Without the escape a value that begins with `@` (`@alice,
 * please review`) could not be given at all: it was read as a file (found by review).
 */
export function atFile(value: string): { file: string } | { text: string } {
  if (value.startsWith('@@')) return { text: value.slice(1) }
  return value.startsWith('@') ? { file: value.slice(1) } : { text: value }
}
