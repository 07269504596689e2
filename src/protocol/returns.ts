/**
 * Reading a call's return: the text an agent answered with (foreground: PostToolUse content;
 * background: SubagentStop's last_assistant_message) turned into the value its contract expects.
 */

/** The text of an Agent tool response's content blocks. */
export function responseText(response: unknown): string | undefined {
  const content = (response as { content?: unknown } | undefined)?.content
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return undefined
  return content.map((b: { type?: string; text?: string }) => (b.type === 'text' && typeof b.text === 'string' ? b.text : '')).join('\n').trim()
}

/**
 * The JSON value in an answer: the whole text, else a ```json fenced block, else the first balanced
 * {...} or [...]. Undefined when there is none.
 */
export function extractJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const attempts = [text.trim(), /```(?:json)?\s*\n([\s\S]*?)\n```/.exec(text)?.[1], balanced(text)]
  for (const attempt of attempts) {
    if (attempt === undefined) continue
    try {
      return { ok: true, value: JSON.parse(attempt) }
    } catch {
      // try the next way
    }
  }
  return { ok: false }
}

function balanced(text: string): string | undefined {
  const start = text.search(/[{[]/)
  if (start < 0) return undefined
  const open = text[start]!
  const close = open === '{' ? '}' : ']'
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const ch = text[i]
    if (inString) {
      if (ch === '\\') i++
      else if (ch === '"') inString = false
    } else if (ch === '"') inString = true
    else if (ch === open) depth++
    else if (ch === close && --depth === 0) return text.slice(start, i + 1)
  }
  return undefined
}
