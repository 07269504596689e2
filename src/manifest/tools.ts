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
  let tools: string[]
  if (typeof value === 'string') tools = splitTools(value)
  else if (Array.isArray(value)) tools = splitListed(value)
  else tools = []
  return tools.includes('*') ? ALL_TOOLS : tools
}

/**
 * Splits at commas and spaces (U+0020 only) that are not inside parentheses, each part trimmed: a tab or a
 * U+00A0 between two names leaves one name that is no tool (probed on 2.1.197 and 2.1.332, 2026-12-01).
 */
export function splitTools(text: string): string[] {
  // Each part is a slice between two cuts, not a string built a character at a time (measured: that
  // was about 2% of a registry build's JavaScript). Only ASCII is tested, so code units do.
  const parts: string[] = []
  let inParentheses = false
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === OPEN) inParentheses = true
    else if (c === CLOSE) inParentheses = false
    else if (!inParentheses && (c === COMMA || c === SPACE)) {
      pushTrimmed(parts, text, start, i)
      start = i + 1
    }
  }
  pushTrimmed(parts, text, start, text.length)
  return parts
}

// --- internal ---

/**
 * Each string item of a list, split (splitTools). Most items are one name, with no comma or space to cut at:
 * taken trimmed, as splitTools gives them, without its array (measured, with the indexed loop: a list's
 * iterators and arrays were most of this function's time before it was optimised).
 */
function splitListed(list: unknown[]): string[] {
  const tools: string[] = []
  for (let i = 0; i < list.length; i++) {
    const item = list[i]
    if (typeof item !== 'string') continue
    if (item.indexOf(',') < 0 && item.indexOf(' ') < 0) {
      const tool = item.trim()
      if (tool) tools.push(tool)
    } else for (const tool of splitTools(item)) tools.push(tool)
  }
  return tools
}

const OPEN = 0x28
const CLOSE = 0x29
const COMMA = 0x2c
const SPACE = 0x20

function pushTrimmed(parts: string[], text: string, start: number, end: number): void {
  if (end === start) return
  const part = text.slice(start, end).trim()
  if (part) parts.push(part)
}
