/**
 * A scripted stand-in for the Anthropic Messages API, served on 127.0.0.1. It speaks the streaming
 * format Claude Code expects (message_start, content_block_*, message_delta, message_stop; facts in
 * docs/claude-code-notes.md), plays the scenario, and records every request so tests can
 * assert on what each agent was sent: its system prompt, its tools, the tool results it got.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ScenarioSchema } from './scenario.ts'
import type { Scenario, Turn } from './scenario.ts'

export interface RecordedRequest {
  index: number
  /** `main`, an agent id from the scenario, `subagent` (an agent no script covers) or `aux` (no tools: titles, summaries). */
  conversation: string
  /** Which turn of the script was played (-1: the fallback; COMPACTION_TURN: a summary for Claude Code's compaction). */
  turn: number
  system: string
  tools: string[]
  messages: Array<{ role: string; content: unknown }>
  /** The whole request body, for anything else a test wants to check. */
  body: Record<string, unknown>
}

export interface ModelServer {
  url: string
  requests: RecordedRequest[]
  /** Every text block of every message of a conversation's requests, joined (for "did X reach agent Y"). */
  textSentTo: (conversation: string) => string
  close: () => Promise<void>
}

export interface ModelServerOptions {
  scenario: Scenario
  /** Match text per agent id, for agents whose script gives none (the runner derives it from the agent's body). */
  agentMatchers?: Record<string, string>
  /** Called with each request as it arrives, before it is answered (run-claude.ts: kill the run at a chosen request). */
  onRequest?: (request: RecordedRequest) => void
}

export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const scenario = ScenarioSchema.parse(options.scenario)
  const requests: RecordedRequest[] = []
  const matchers = Object.entries(scenario.agents).map(([id, script]) => ({
    id,
    match: (Array.isArray(script) ? undefined : script.match) ?? options.agentMatchers?.[id],
    matchPrompt: Array.isArray(script) ? undefined : script.matchPrompt,
    turns: Array.isArray(script) ? script : script.turns,
  }))

  const server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(200).end()
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = parseBody(Buffer.concat(chunks).toString('utf8'))
      if (!req.url?.startsWith('/v1/messages') || req.url.includes('count_tokens')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"input_tokens": 10}')
        return
      }
      const system = systemText(body.system)
      const tools = Array.isArray(body.tools) ? body.tools.map((t: { name?: string }) => String(t.name)) : []
      const messages = Array.isArray(body.messages) ? (body.messages as RecordedRequest['messages']) : []
      const prompt = messagesText(messages.slice(0, 1))
      const agent =
        matchers.find((m) => m.matchPrompt && prompt.includes(m.matchPrompt)) ??
        matchers.find((m) => m.match && system.includes(m.match))
      const conversation = agent
        ? agent.id
        : tools.length === 0
          ? 'aux'
          : system.includes('cc_is_subagent=true')
            ? 'subagent'
            : 'main'
      const turns = agent ? agent.turns : conversation === 'main' ? scenario.main : []
      // A compacted conversation starts again from the summary, which says how far its script had got (the
      // first count: a summary of a compacted conversation quotes the one before, and comes before any later text)
      const carried = COMPACTED.exec(messagesText(messages))?.[1]
      const played = messages.filter((m) => m.role === 'assistant' && !isSearch(m)).length + Number(carried ?? 0)
      const overLimit = requests.length >= scenario.maxRequests
      const compacting = messagesText(messages.slice(-2)).includes(COMPACTION_REQUEST)
      const turnIndex = compacting ? COMPACTION_TURN : !overLimit && played < turns.length ? played : -1
      const scripted: Turn = compacting
        ? { text: compactionSummary(played, prompt) }
        : turnIndex >= 0
          ? turns[turnIndex]!
          : { text: overLimit ? `Scenario request limit (${scenario.maxRequests}) reached.` : scenario.fallback }
      const planned = 'followPlan' in scripted ? planTurn(messagesText(messages)) : scripted
      // A deferred MCP tool is searched for before it is called, as a model must (its schema is not in the
      // request until then, and a server held back until a search joins only then: docs/testing.md).
      const unsearched = callsOf(planned)
        .map((call) => call.tool)
        .filter((tool) => tool.startsWith('mcp__') && !tools.includes(tool) && !searchedFor(messages).has(tool))
      const searching = unsearched.length > 0 && tools.includes('ToolSearch')
      const turn: Turn = searching
        ? { call: { tool: 'ToolSearch', input: { query: `select:${[...new Set(unsearched)].join(',')}` } } }
        : planned
      const recorded: RecordedRequest = {
        index: requests.length,
        conversation,
        turn: searching ? SEARCH_TURN : turnIndex,
        system,
        tools,
        messages,
        body,
      }
      requests.push(recorded)
      options.onRequest?.(recorded)
      // Tool use ids are unique per response, as the real API's are (Claude Code and hooks key on them).
      streamTurn(
        res,
        turn,
        `${searching ? SEARCH_ID : ''}${conversation.replace(/[^A-Za-z0-9]/g, '_')}_${turnIndex}_r${requests.length}`,
        String(body.model ?? 'claude-sonnet-4-5'),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    textSentTo: (conversation) =>
      requests
        .filter((r) => r.conversation === conversation)
        .map((r) => `${r.system}\n${messagesText(r.messages)}`)
        .join('\n'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/**
 * The turn of a request that asks for a compaction summary, which the server answers itself: no scripted
 * turn is spent on it. Claude Code compacts a conversation whose last response said its request took nearly
 * the whole context window (a turn's `inputTokens`), a subagent's too.
 */
export const COMPACTION_TURN = -2
/** The instruction Claude Code's compaction request carries (2.1.332, 2.1.331, 2.1.197). */
const COMPACTION_REQUEST = 'Your task is to create a detailed summary of the conversation so far'
const COMPACTED = /Scenario turns played before compaction: (\d+)\./

/**
 * The summary Claude Code keeps of a compacted conversation (it asks again for one without a <summary>
 * block): how many scripted turns were played, and the first message, which `matchPrompt` reads.
 */
function compactionSummary(played: number, firstMessage: string): string {
  return `<analysis>A scripted conversation.</analysis>\n<summary>Scenario turns played before compaction: ${played}. First message: ${firstMessage}</summary>`
}

/** The turn of a request answered with a ToolSearch for a deferred MCP tool the script calls next (no scripted turn spent). */
export const SEARCH_TURN = -3
/** How a search the server made itself is told apart in the conversation: its tool_use ids start `toolu_<this>`. */
const SEARCH_ID = 'search-' // a conversation's name never gives a '-' (ids are built from it with [^A-Za-z0-9] made '_')

function callsOf(turn: Turn): Array<{ tool: string }> {
  return 'call' in turn ? [turn.call] : 'calls' in turn ? turn.calls : []
}

function toolUses(
  message: RecordedRequest['messages'][number],
): Array<{ id?: string; name?: string; input?: unknown }> {
  return Array.isArray(message.content)
    ? (message.content as Array<{ type?: string; id?: string; name?: string; input?: unknown }>).filter(
        (block) => block.type === 'tool_use',
      )
    : []
}

function isSearch(message: RecordedRequest['messages'][number]): boolean {
  return (
    message.role === 'assistant' &&
    toolUses(message).some((use) => use.name === 'ToolSearch' && use.id?.startsWith(`toolu_${SEARCH_ID}`))
  )
}

/** The tools a ToolSearch in the conversation selected by name (`select:a,b`). */
function searchedFor(messages: RecordedRequest['messages']): Set<string> {
  const names = messages
    .flatMap((message) => (message.role === 'assistant' ? toolUses(message) : []))
    .filter((use) => use.name === 'ToolSearch')
    .flatMap(
      (use) => /^select:(.*)$/.exec(String((use.input as { query?: unknown })?.query ?? ''))?.[1]?.split(',') ?? [],
    )
  return new Set(names)
}

/** All text in messages: text blocks, tool results (strings or text blocks), string contents. */
export function messagesText(messages: RecordedRequest['messages']): string {
  const parts: string[] = []
  const visit = (content: unknown): void => {
    if (typeof content === 'string') parts.push(content)
    else if (Array.isArray(content)) content.forEach(visit)
    else if (content && typeof content === 'object') {
      const block = content as { text?: unknown; content?: unknown; input?: unknown }
      if (typeof block.text === 'string') parts.push(block.text)
      if (block.content !== undefined) visit(block.content)
      if (block.input !== undefined) parts.push(JSON.stringify(block.input))
    }
  }
  for (const message of messages) visit(message.content)
  return parts.join('\n')
}

// --- internal ---

/** The tool call of the last "Switchboard plan" block in the conversation, or a text saying there is none. */
function planTurn(text: string): Turn {
  // /switchboard:invoke: first hand the typed request to the plan_call tool, as the command asks.
  const request = /----- switchboard request begin -----\n([\s\S]*?)\n?----- switchboard request end -----/.exec(text)
  // /switchboard:run where the module runs: the whole request goes to the invoke tool as `workflow`; then report.
  if (request && text.includes('with `workflow` set to exactly the text between the marker lines')) {
    const answered = text.split('\n').find((line) => line.startsWith('{"status":"'))
    return answered
      ? { text: `Switchboard ran the workflow: ${answered.slice(0, 200)}` }
      : { call: { tool: 'SwitchboardInvoke', input: { workflow: request[1]!.trim() } } }
  }
  // ... and in settings mode: run_workflow guides the run; make the calls it hands out, then ask it again.
  if (request && text.includes('Switchboard guides this run step by step')) return guidedTurn(text, request[1]!.trim())
  // Where the hooks module runs, the command names the invoke tool instead: hand it the line, then follow its answer.
  if (request && text.includes("Call Switchboard's invoke tool (SwitchboardInvoke)")) {
    const answers = text.split('\n').filter((line) => line.startsWith('{"status":"'))
    if (answers.length === 0) return { call: { tool: 'SwitchboardInvoke', input: { line: request[1]!.trim() } } }
    const answer = JSON.parse(answers.at(-1)!) as {
      status: string
      call?: { tool: string; input: Record<string, unknown> }
      message: string
    }
    const made = (skill: unknown): boolean =>
      text.split('\n').some((line) => line.startsWith(`{"skill":${JSON.stringify(skill)}`))
    if (answer.status === 'use_skill_tool' && answer.call && !made(answer.call.input.skill))
      return { call: answer.call }
    return { text: `Switchboard's invoke tool answered ${answer.status}: ${answer.message}` }
  }
  if (request && !/Switchboard plan:|Switchboard cannot make this call/.test(text)) {
    return { call: { tool: 'mcp__plugin_switchboard_switchboard__plan_call', input: { line: request[1]!.trim() } } }
  }
  // A workflow's helper agent (both runtimes): make the one Skill call it was given.
  const helper = /Make exactly this one Skill tool call, with the input unchanged:\n\n(\{.*\})\n/.exec(text)
  if (helper) return { call: { tool: 'Skill', input: JSON.parse(helper[1]!) as Record<string, unknown> } }
  const blocks = [...text.matchAll(/Switchboard plan:[\s\S]*?```json\n([\s\S]*?)\n```/g)]
  const last = blocks.at(-1)?.[1]
  if (!last) return { text: 'There is no Switchboard plan to follow, so I made no call.' }
  const plan = JSON.parse(last) as { tool: string; input: Record<string, unknown> }
  return { call: { tool: plan.tool, input: plan.input } }
}

/** A compliant model in a guided run: start it, make each answer's calls (once), go on until it is over. */
function guidedTurn(text: string, line: string): Turn {
  const tool = 'mcp__plugin_switchboard_switchboard__run_workflow'
  const answers = text.split('\n').filter((l) => l.startsWith('{"status":"'))
  const last = answers.at(-1)
  if (!last) return { call: { tool, input: { line } } }
  const answer = JSON.parse(last) as {
    status: string
    run?: string
    calls?: Array<{ tool: string; input: Record<string, unknown> }>
    message: string
  }
  if (answer.status !== 'next' && answer.status !== 'waiting')
    return { text: `Switchboard's run_workflow answered ${answer.status}: ${answer.message}` }
  // The calls were made when their inputs appear after the answer (tool_use blocks show as their JSON input).
  const after = text.slice(text.lastIndexOf(last) + last.length)
  const calls = answer.calls ?? []
  if (answer.status === 'next' && !calls.every((c) => after.includes(JSON.stringify(c.input))))
    return calls.length === 1 ? { call: calls[0]! } : { calls }
  return { call: { tool, input: { run: answer.run } } }
}

function parseBody(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>
  } catch {
    return {}
  }
}

function systemText(system: unknown): string {
  if (typeof system === 'string') return system
  if (Array.isArray(system)) return system.map((b: { text?: string }) => b.text ?? '').join('\n')
  return ''
}

function streamTurn(res: import('node:http').ServerResponse, turn: Turn, idPrefix: string, model: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  const send = (type: string, data: Record<string, unknown>): void => {
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`)
  }
  send('message_start', {
    message: {
      id: `msg_${idPrefix}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: ('inputTokens' in turn && turn.inputTokens) || 100, output_tokens: 1 },
    },
  })
  const calls = 'call' in turn ? [turn.call] : 'calls' in turn ? turn.calls : []
  if ('followPlan' in turn) throw new Error('followPlan is resolved before streaming')
  if (calls.length === 0 && 'text' in turn) {
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } })
    send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: turn.text } })
    send('content_block_stop', { index: 0 })
  }
  calls.forEach((call, index) => {
    send('content_block_start', {
      index,
      content_block: { type: 'tool_use', id: `toolu_${idPrefix}_${index}`, name: call.tool, input: {} },
    })
    send('content_block_delta', {
      index,
      delta: { type: 'input_json_delta', partial_json: JSON.stringify(call.input) },
    })
    send('content_block_stop', { index })
  })
  send('message_delta', {
    delta: { stop_reason: calls.length > 0 ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { output_tokens: 20 },
  })
  send('message_stop', {})
  res.end()
}
