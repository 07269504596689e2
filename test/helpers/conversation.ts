import type { ClaudeRun } from '../harness/index.ts'

type Block = { type?: string; name?: string; id?: string; tool_use_id?: string; input?: unknown; content?: unknown }

/** Every content block the stand-in model received, in order (each request repeats the conversation so far). */
function blocks(run: Pick<ClaudeRun, 'requests'>, conversation?: string): Block[] {
  return run.requests
    .filter((r) => conversation === undefined || r.conversation === conversation)
    .flatMap((r) => r.messages)
    .flatMap((m) => (Array.isArray(m.content) ? (m.content as Block[]) : []))
}

/** Each tool result once, in the order the calls were made, as JSON text; optionally of one conversation. */
export function toolResults(run: Pick<ClaudeRun, 'requests'>, conversation?: string): string[] {
  const results = new Map<string, string>()
  for (const block of blocks(run, conversation))
    if (block.type === 'tool_result') results.set(String(block.tool_use_id), JSON.stringify(block.content))
  return [...results.entries()]
    .sort(([a], [b]) => Number(a.split('_').at(-1)) - Number(b.split('_').at(-1)))
    .map(([, text]) => text)
}

/** The first call the model made to a tool, as Claude Code passed it back in the conversation. */
export function firstToolUse(run: Pick<ClaudeRun, 'requests'>, tool: string): { input?: unknown } | undefined {
  return blocks(run).find((b) => b.type === 'tool_use' && b.name === tool)
}

/** What the invoke tool answered, parsed, in call order; optionally in one conversation. */
export function invokeAnswers(run: Pick<ClaudeRun, 'requests'>, conversation?: string): Array<Record<string, unknown>> {
  return jsonAnswers(run, ['SwitchboardInvoke'], conversation)
}

/**
 * What a workflow run answered, in call order, in either runtime: the invoke tool's answer (module
 * mode), or each of run_workflow's (settings mode: `next` answers, then the result).
 */
export function workflowAnswers(run: Pick<ClaudeRun, 'requests'>): Array<Record<string, unknown> & { status: string }> {
  return jsonAnswers(run, ['SwitchboardInvoke', 'mcp__plugin_switchboard_switchboard__run_workflow'], 'main') as Array<
    Record<string, unknown> & { status: string }
  >
}

function jsonAnswers(
  run: Pick<ClaudeRun, 'requests'>,
  tools: string[],
  conversation?: string,
): Array<Record<string, unknown>> {
  const all = blocks(run, conversation)
  const ids = new Set(
    all.filter((b) => b.type === 'tool_use' && tools.includes(String(b.name))).map((b) => String(b.id)),
  )
  const answers = new Map<string, Record<string, unknown>>()
  for (const block of all) {
    if (block.type !== 'tool_result' || !ids.has(String(block.tool_use_id))) continue
    const text =
      typeof block.content === 'string'
        ? block.content
        : Array.isArray(block.content)
          ? (block.content as Block[]).map((b) => (b as { text?: string }).text ?? '').join('')
          : ''
    answers.set(String(block.tool_use_id), JSON.parse(text) as Record<string, unknown>)
  }
  return [...answers.values()]
}
