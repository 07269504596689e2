/**
 * Reading a call's return: the text an agent answered with (foreground: PostToolUse content;
 * background: SubagentStop's last_assistant_message) turned into the value its contract expects.
 */

/**
 * What the agent said in an Agent tool response: its text blocks, without the blocks Claude Code adds
 * around them. Since 2.1.331 an agent that used tools gets a first block
 * `<tools-used-before-summary>Read, Grep</tools-used-before-summary>\n`, and the response counts such
 * framing blocks in `harnessNoteCount` (before the answer) and `harnessTailCount` (after it); see
 * docs/claude-code-notes.md#agent-results. Those counts, not the text, say what is framing, so an agent
 * that writes the same tag itself keeps every word.
 */
export function responseText(response: unknown): string | undefined {
  const { content, harnessNoteCount, harnessTailCount } = (response ?? {}) as {
    content?: unknown
    harnessNoteCount?: unknown
    harnessTailCount?: unknown
  }
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return undefined
  const notes = count(harnessNoteCount)
  const tail = count(harnessTailCount)
  // Counts that do not fit the content are not Claude Code's framing as we know it: keep everything.
  const answer = notes + tail <= content.length ? content.slice(notes, content.length - tail) : content
  return answer
    .map((b: { type?: string; text?: string }) => (b.type === 'text' && typeof b.text === 'string' ? b.text : ''))
    .join('\n')
    .trim()
}

/**
 * The JSON value in an answer: the whole text, else a ```json fenced block, else the first balanced
 * {...} or [...]. Undefined when there is none.
 */
export function extractJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const attempts = [text.trim(), fencedBlock(text), balanced(text)]
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

// --- internal ---

/**
 * The first fenced block's body (```` ```json ```` or a bare fence, then a line break), as
 * /```(?:json)?\s*\n([\s\S]*?)\n```/ finds it, in linear time: that expression, run on a report
 * holding many fences and no closing one, took 11 s for 400 KB while the guard's other hooks waited.
 */
function fencedBlock(text: string): string | undefined {
  const opener = /(?:json)?\s*\n/y
  for (let open = text.indexOf('```'); open >= 0; open = text.indexOf('```', open + 1)) {
    opener.lastIndex = open + 3
    if (!opener.exec(text)) continue
    // No closing fence after the first opening one: none after a later one either.
    const close = text.indexOf('\n```', opener.lastIndex)
    return close < 0 ? undefined : text.slice(opener.lastIndex, close)
  }
  return undefined
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0
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
