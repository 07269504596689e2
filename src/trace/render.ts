/**
 * A session's invocations as a tree (text) or a Mermaid sequence diagram. Targets, callers, reasons
 * and ids come from tool inputs others wrote, so every one is rendered inert (common/inert.ts).
 */
import { inert } from '../common/core.ts'
import { callSequence, callTree } from './call-order.ts'
import type { Invocation } from './invocations.ts'

/** The calls as a tree: each under its caller's call, siblings in the order they started (call-order.ts). */
export function renderTree(invocations: Map<string, Invocation>): string {
  const { roots, children } = callTree(invocations)
  const lines: string[] = []
  const visit = (list: Invocation[], prefix: string, grouped = false): void => {
    const entries = grouped ? list : byRun(list)
    entries.forEach((entry, index) => {
      const last = index === entries.length - 1
      if ('run' in entry) {
        lines.push(
          inert(
            `${prefix}${last ? '└─ ' : '├─ '}workflow ${entry.plugin ? `${entry.plugin}:` : ''}${entry.name}  [${entry.run}]`,
          ),
        )
        visit(entry.steps, `${prefix}${last ? '   ' : '│  '}`, true)
        return
      }
      lines.push(`${prefix}${last ? '└─ ' : '├─ '}${describe(entry)}`)
      visit(children.get(entry.id) ?? [], `${prefix}${last ? '   ' : '│  '}`)
    })
  }
  visit(roots, '')
  return lines.length > 0 ? `main\n${lines.join('\n')}` : 'No cross-plugin calls in this session.'
}

/**
 * The calls as a Mermaid sequence diagram: each call where it started, each return after the calls
 * it waited for (call-order.ts). A denied call is one crossed arrow; a call still running has no return.
 */
export function renderMermaid(invocations: Map<string, Invocation>): string {
  const participants = new Map<string, string>([['main', 'main']])
  const alias = (name: string): string => {
    if (!participants.has(name)) participants.set(name, `p${participants.size}`)
    return participants.get(name)!
  }
  const lines = callSequence(invocations).map(({ kind, invocation }) => {
    // A record is whatever the log held (a model's Bash step can write there): a null caller crashed the diagram (review).
    const from = alias(String(invocation.caller))
    const to = alias(String(invocation.target))
    if (kind === 'denied') return `  ${from}-x${to}: ${label(`denied: ${invocation.reason ?? ''}`)}`
    if (kind === 'call')
      return `  ${from}->>+${to}: ${label(`${invocation.kind} call${invocation.runsAs ? ` as ${invocation.runsAs}` : ''}${Array.isArray(invocation.loads) ? `, loads ${invocation.loads.join(', ')}` : ''}`)}`
    return `  ${to}-->>-${from}: ${label(`${invocation.status}${invocation.durationMs !== null ? ` in ${invocation.durationMs} ms` : ''}`)}`
  })
  const declared = [...participants].map(([name, id]) => `  participant ${id} as ${label(name)}`)
  return ['sequenceDiagram', ...declared, ...lines].join('\n')
}

// --- internal ---

/** Siblings with the steps of one workflow run gathered under it, where its first step stood. */
function byRun(
  list: Invocation[],
): Array<Invocation | { run: string; name: string; plugin?: string; steps: Invocation[] }> {
  const entries: Array<Invocation | { run: string; name: string; plugin?: string; steps: Invocation[] }> = []
  const runs = new Map<string, { run: string; name: string; plugin?: string; steps: Invocation[] }>()
  for (const invocation of list) {
    const tag = invocation.workflow
    if (!tag) {
      entries.push(invocation)
      continue
    }
    let group = runs.get(tag.run)
    if (!group) {
      group = { run: tag.run, name: tag.name, ...(tag.plugin ? { plugin: tag.plugin } : {}), steps: [] }
      runs.set(tag.run, group)
      entries.push(group)
    }
    group.steps.push(invocation)
  }
  return entries
}

/** One line. The fixed text around the fields holds no character inert() escapes, so inert() over the whole line equals inert() over each field. */
function describe(invocation: Invocation): string {
  const parts = [
    `${invocation.workflow ? `${invocation.workflow.step}: ` : ''}${invocation.target} (${invocation.kind}${invocation.runsAs ? `, runs as ${invocation.runsAs}` : ''}${Array.isArray(invocation.loads) ? `, loads ${invocation.loads.join(', ')}` : ''})`,
    invocation.status,
  ]
  if (invocation.durationMs !== null && invocation.status !== 'denied') parts.push(`${invocation.durationMs} ms`)
  if (invocation.tokens !== null) parts.push(`${invocation.tokens} tokens`)
  if (invocation.reason) parts.push(invocation.reason)
  return inert(`${parts[0]}  ${parts.slice(1).join(', ')}  [${invocation.id}]`)
}

/**
 * Mermaid text: inert (one line, no escapes), short, and with the characters Mermaid reads as syntax
 * written as its entity codes: ";" ends a statement, "#" starts an entity, "%%{" a config directive
 * anywhere in the text, "<" and "&" HTML (">" alone is plain text, so "a -> b" stays readable). https://mermaid.js.org/syntax/sequenceDiagram.html#entity-codes-to-escape-characters
 */
function label(text: string): string {
  const chars = Array.from(inert(String(text)).replace(/\s+/g, ' ').trim())
  const short = chars.length > 80 ? `${chars.slice(0, 79).join('')}…` : chars.join('')
  return short.replace(/[;#%&<]/g, (ch) => `#${ch.charCodeAt(0)};`)
}
