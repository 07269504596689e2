/**
 * Counting an agent's turns for a workflow's `turns` budget. No hook and no module event reports how
 * many model requests an agent made, so both runtimes read its transcript, which Claude Code writes
 * beside the session's (`<session transcript without .jsonl>/subagents/agent-<id>.jsonl`, verified on
 * 2.1.197, 2.1.331 and 2.1.332): each assistant message is one turn, however many lines (one per
 * content block) it was written as.
 */

/** Where Claude Code keeps an agent's transcript, from the session's transcript path and the agent's id. */
export function agentTranscriptPath(sessionTranscript: string, agentId: string): string {
  return `${sessionTranscript.replace(/\.jsonl$/, '')}/subagents/agent-${agentId.replace(/[^A-Za-z0-9_-]/g, '')}.jsonl`
}

/** The model turns in a transcript (JSON lines): distinct assistant message ids; lines that do not parse are skipped. */
export function countTurns(jsonl: string): number {
  const ids = new Set<string>()
  for (const line of jsonl.split('\n')) {
    if (!line.includes('"assistant"')) continue
    try {
      const entry = JSON.parse(line) as { type?: unknown; message?: { id?: unknown } }
      if (entry.type === 'assistant')
        ids.add(typeof entry.message?.id === 'string' ? entry.message.id : `line:${ids.size}`)
    } catch {
      // a torn last line, while the file is written
    }
  }
  return ids.size
}

/**
 * Whether a transcript's last assistant message is an answer (no tool call in it): Claude Code writes an
 * agent's transcript as it goes, and its last message can land after the agent's report; counted before it,
 * an agent's three turns were two (a flaky workflow budget under load, 2.1.331).
 */
export function endsWithAnswer(jsonl: string): boolean {
  const blocks = lastAssistantBlocks(jsonl)
  return blocks !== undefined && !blocks.some((block) => block?.type === 'tool_use')
}

/**
 * The text of a transcript's last assistant message (its text blocks, one line each, joined as the
 * Agent tool's answer joins them), or undefined where there is none yet.
 */
export function lastAssistantText(jsonl: string): string | undefined {
  const blocks = lastAssistantBlocks(jsonl)
  if (blocks === undefined) return undefined
  const texts = blocks.flatMap((block) =>
    block?.type === 'text' && typeof block.text === 'string' ? [block.text] : [],
  )
  return texts.join('\n').trim()
}

// --- internal ---

type Block = { type?: unknown; text?: unknown } | null

/**
 * The content blocks of a transcript's last assistant message, or undefined where there is none: Claude Code
 * writes one line per block, so the lines of one message share its `message.id`.
 */
function lastAssistantBlocks(jsonl: string): Block[] | undefined {
  let lastId: unknown
  let blocks: Block[] | undefined
  for (const line of jsonl.split('\n')) {
    if (!line.includes('"assistant"')) continue
    try {
      const entry = JSON.parse(line) as { type?: unknown; message?: { id?: unknown; content?: unknown } }
      if (entry.type !== 'assistant') continue
      const id = entry.message?.id ?? line
      if (id !== lastId || blocks === undefined) blocks = []
      lastId = id
      if (Array.isArray(entry.message?.content)) blocks.push(...(entry.message.content as Block[]))
    } catch {
      // a torn last line, while the file is written
    }
  }
  return blocks
}
