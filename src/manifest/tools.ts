/**
 * The `tools` / `allowed-tools` / `disallowedTools` frontmatter fields, split the way Claude Code
 * splits them (same function for agents and skills in 2.1.197 and 2.1.331): a string, or each string
 * item of a list, is cut at commas and spaces (U+0020) outside parentheses, so "Read, Grep", "Read Grep",
 * [Read, Grep] and "Bash(git add:*, git commit:*), Read" all work. Tool names are case-sensitive.
 */

/** Every tool (the field is absent, or lists "*"). */
const ALL_TOOLS = null

/**
 * `null` means every tool: the field is absent or holds "*". An empty list means NO tools: Claude
 * Code lists `tools:` (empty) or `tools: ""` as "All tools" but gives that agent none.
 */
export function parseToolList(value: unknown): string[] | null {
  if (value === undefined) return ALL_TOOLS
  if (value === null || value === '' || value === false) return []
  const items =
    typeof value === 'string'
      ? [value]
      : Array.isArray(value)
        ? value.filter((item): item is string => typeof item === 'string')
        : []
  const tools = items.flatMap(splitTools)
  return tools.includes('*') ? ALL_TOOLS : tools
}

/**
 * Splits at commas and spaces (U+0020 only) that are not inside parentheses, each part trimmed: a tab or a
 * U+00A0 between two names leaves one name that is no tool (probed on 2.1.197 and 2.1.332, 2026-12-01).
 */
export function splitTools(text: string): string[] {
  const parts: string[] = []
  let inParentheses = false
  let current = ''
  const flush = (): void => {
    if (current.trim()) parts.push(current.trim())
    current = ''
  }
  for (const ch of text) {
    if (ch === '(') inParentheses = true
    else if (ch === ')') inParentheses = false
    if (!inParentheses && (ch === ',' || ch === ' ')) flush()
    else current += ch
  }
  flush()
  return parts
}
