/**
 * What flowed between plugins in one session, read from what Claude Code and Switchboard wrote down,
 * so it is the same for the stand-in and a real model:
 * - the calls: Switchboard's call log, folded (src/trace);
 * - the slots: the session's context folder (src/context), with who wrote each;
 * - what each call received: the envelope Switchboard put in front of its prompt or args, found in
 *   Claude Code's transcripts (`Switchboard call <id> from …`, then one `begin <slot> (…, from <writer>)`
 *   line per slot passed), since that is what the target really read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { inert, inertJson } from '../../src/common/index.ts'
import { listSlots, slotText } from '../../src/context/index.ts'
import { callTree, foldInvocations, readRecords, sessionDir } from '../../src/trace/index.ts'
import type { Invocation } from '../../src/trace/index.ts'

export interface CallView {
  id: string
  depth: number
  /** `├─ ` / `└─ ` with the lines above it: the tree drawn in front of the target. */
  prefix: string
  target: string
  kind: Invocation['kind']
  status: Invocation['status']
  durationMs: number | null
  reason: string | null
  /** The slots its envelope passed it. */
  reads: string[]
  /** The slot its return was stored in. */
  into: string | null
}

export interface SlotView {
  name: string
  type: 'text' | 'json'
  /** The value on one line, inert: JSON compact, text quoted with its white space folded. */
  preview: string
  chars: number
  /** Who wrote it: a call's return, or who stored it with a tool (context_put, an invoke line's @file). */
  writer: string
  readers: string[]
}

export interface Flow {
  calls: CallView[]
  slots: SlotView[]
}

export function readFlow(dataDir: string, home: string, sessionId: string): Flow {
  const dir = sessionDir(dataDir, sessionId)
  const invocations = foldInvocations(readRecords(dir))
  const transcripts = transcriptTexts(join(home, '.claude', 'projects'), sessionId)
  const received = envelopes(transcripts)
  const calls = treeOrder(invocations, askOrder(transcripts)).map(({ invocation, depth, prefix }) => ({
    id: invocation.id,
    depth,
    prefix,
    target: invocation.target,
    kind: invocation.kind,
    status: invocation.status,
    durationMs: invocation.durationMs,
    reason: invocation.reason,
    reads: received.get(invocation.id) ?? [],
    into: invocation.into,
  }))
  const slots = listSlots(dir)
    .sort((a, b) => a.ts - b.ts)
    .map((slot) => ({ slot, at: storyOrder(slot.name, slot.writer, calls) }))
    .sort((a, b) => a.at - b.at) // stable: time order breaks ties
    .map(({ slot }) => ({
      name: slot.name,
      type: slot.type,
      preview: slot.type === 'json' ? inertJson(slot.value) : `"${inert(slotText(slot).replace(/\s+/g, ' ').trim())}"`,
      chars: slotText(slot).length,
      writer: slot.writer.startsWith('return:')
        ? slot.writer.slice('return:'.length)
        : (storedBy(slot.name, transcripts) ?? slot.writer),
      readers: calls.filter((c) => c.reads.includes(slot.name)).map((c) => c.target),
    }))
  return { calls, slots }
}

// --- internal ---

/**
 * Where a slot comes in the story, so parallel calls finishing in either order print the same: when
 * the first call that got it started (2i), or when the call whose return it is ended (after the
 * last call under it: 2j+1), in tree order. Slots no call touched come last.
 */
function storyOrder(name: string, writer: string, calls: CallView[]): number {
  const read = calls.findIndex((c) => c.reads.includes(name))
  const wrote = calls.findIndex((c) => c.into === name && `return:${c.target}` === writer)
  let last = wrote
  while (wrote >= 0 && last + 1 < calls.length && calls[last + 1]!.depth > calls[wrote]!.depth) last++
  return Math.min(read >= 0 ? 2 * read : Infinity, wrote >= 0 ? 2 * last + 1 : Infinity)
}

/**
 * The trace's tree, with calls made together (one message, run in parallel) in the order the caller
 * asked for them, which is how its transcript lists them, rather than the order Claude Code happened to
 * start them in: the same run prints the same tree however the machine was loaded.
 */
function treeOrder(
  invocations: Map<string, Invocation>,
  asked: Map<string, number>,
): Array<{ invocation: Invocation; depth: number; prefix: string }> {
  const { roots, children } = callTree(invocations)
  const key = (i: Invocation): number => asked.get(i.id) ?? Number.MAX_SAFE_INTEGER
  for (const list of [roots, ...children.values()]) list.sort((a, b) => key(a) - key(b) || a.start - b.start)
  const out: Array<{ invocation: Invocation; depth: number; prefix: string }> = []
  const visit = (list: Invocation[], lead: string, depth: number): void => {
    list.forEach((invocation, index) => {
      const last = index === list.length - 1
      out.push({ invocation, depth, prefix: `${lead}${last ? '└─ ' : '├─ '}` })
      visit(children.get(invocation.id) ?? [], `${lead}${last ? '   ' : '│  '}`, depth + 1)
    })
  }
  visit(roots, '', 0)
  return out
}

interface Transcript {
  /** `main`, or the agent type from the subagent's meta file. */
  who: string
  lines: unknown[]
}

/** The session's transcript and its subagents' (Claude Code keeps them under the project's folder). */
function transcriptTexts(projects: string, sessionId: string): Transcript[] {
  const out: Transcript[] = []
  const walk = (dir: string): void => {
    for (const entry of safeList(dir)) {
      const path = join(dir, entry)
      if (statSync(path).isDirectory()) walk(path)
      else if (entry.endsWith('.jsonl') && path.includes(sessionId))
        out.push({ who: whoseTranscript(path), lines: readJsonl(path) })
    }
  }
  walk(projects)
  return out
}

function whoseTranscript(path: string): string {
  if (!path.includes('/subagents/')) return 'main'
  try {
    return String(
      (JSON.parse(readFileSync(path.replace(/\.jsonl$/, '.meta.json'), 'utf8')) as { agentType?: string }).agentType ??
        'an agent',
    )
  } catch {
    return 'an agent'
  }
}

const HEADER = /<switchboard-call boundary="(sb-[0-9a-f]+)">\nSwitchboard call (\S+) from /g

/** Each call's slots, by invocation id, from the envelopes in any transcript. */
function envelopes(transcripts: Transcript[]): Map<string, string[]> {
  const found = new Map<string, string[]>()
  for (const text of transcripts.flatMap((t) => strings(t.lines))) {
    for (const match of text.matchAll(HEADER)) {
      const [, boundary, id] = match
      const end = text.indexOf(`</switchboard-call boundary="${boundary}">`, match.index)
      const body = text.slice(match.index, end < 0 ? undefined : end)
      const names = [
        ...body.matchAll(new RegExp(`^--- ${boundary} (?:begin )?([A-Za-z_][A-Za-z0-9_]*) \\(`, 'gm')),
      ].map((m) => m[1]!)
      if (!found.has(id!)) found.set(id!, [...new Set(names)])
    }
  }
  return found
}

/** Each tool call's place in its transcript (transcripts in turn), by tool_use id. */
function askOrder(transcripts: Transcript[]): Map<string, number> {
  const order = new Map<string, number>()
  transcripts.forEach((transcript, t) => {
    toolUses(transcript.lines).forEach((use, i) => {
      if (!order.has(use.id)) order.set(use.id, t * 1_000_000 + i)
    })
  })
  return order
}

/** Who stored a slot with a tool: a context_put call, or an invoke line's `name=@file`. */
function storedBy(name: string, transcripts: Transcript[]): string | undefined {
  for (const transcript of transcripts) {
    for (const use of toolUses(transcript.lines)) {
      const input = use.input as { name?: unknown; line?: unknown }
      if (use.name.endsWith('__context_put') && input.name === name) return `${transcript.who} (context_put)`
      const file = typeof input.line === 'string' ? new RegExp(`(?:^|\\s)${name}=@(\\S+)`).exec(input.line) : null
      if (file) return `${transcript.who} (@${file[1]})`
    }
  }
  return undefined
}

function toolUses(lines: unknown[]): Array<{ id: string; name: string; input: unknown }> {
  return lines.flatMap((line) => {
    const content = (line as { message?: { content?: unknown } }).message?.content
    return Array.isArray(content)
      ? content.filter(
          (b): b is { type: 'tool_use'; id: string; name: string; input: unknown } =>
            b?.type === 'tool_use' && typeof b.name === 'string' && typeof b.id === 'string',
        )
      : []
  })
}

/** Every string anywhere in the transcript lines (prompts, tool inputs and results). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(strings)
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings)
  return []
}

function readJsonl(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as unknown] : []
      } catch {
        return []
      }
    })
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
