/**
 * A session's invocations as a tree (text) or a Mermaid sequence diagram. Targets, callers, reasons
 * and ids come from tool inputs others wrote, so every one is rendered inert (common/inert.ts).
 */
import { inert } from '../common/core.ts'
import type { Invocation } from './invocations.ts'

export function renderTree(invocations: Map<string, Invocation>): string {
  const children = new Map<string | null, Invocation[]>()
  for (const invocation of invocations.values()) {
    const parent = invocation.parent !== null && invocations.has(invocation.parent) ? invocation.parent : null
    children.set(parent, [...(children.get(parent) ?? []), invocation])
  }
  const lines: string[] = []
  const visit = (parent: string | null, prefix: string): void => {
    const list = (children.get(parent) ?? []).sort((a, b) => a.start - b.start)
    list.forEach((invocation, index) => {
      const last = index === list.length - 1
      lines.push(`${prefix}${last ? '└─ ' : '├─ '}${describe(invocation)}`)
      visit(invocation.id, `${prefix}${last ? '   ' : '│  '}`)
    })
  }
  visit(null, '')
  return lines.length > 0 ? `main\n${lines.join('\n')}` : 'No cross-plugin calls in this session.'
}

export function renderMermaid(invocations: Map<string, Invocation>): string {
  const list = [...invocations.values()].sort((a, b) => a.start - b.start)
  const participants = new Map<string, string>([['main', 'main']])
  const alias = (name: string): string => {
    if (!participants.has(name)) participants.set(name, `p${participants.size}`)
    return participants.get(name)!
  }
  const lines: string[] = []
  for (const invocation of list) {
    const from = alias(invocation.caller)
    const to = alias(invocation.target)
    if (invocation.status === 'denied') {
      lines.push(`  ${from}-x${to}: ${label(`denied: ${invocation.reason ?? ''}`)}`)
      continue
    }
    lines.push(`  ${from}->>+${to}: ${label(`${invocation.kind} call`)}`)
    if (invocation.status !== 'running') lines.push(`  ${to}-->>-${from}: ${label(`${invocation.status}${invocation.durationMs !== null ? ` in ${invocation.durationMs} ms` : ''}`)}`)
  }
  const declared = [...participants].map(([name, id]) => `  participant ${id} as ${label(name)}`)
  return ['sequenceDiagram', ...declared, ...lines].join('\n')
}

// --- internal ---

/** One line. The fixed text around the fields holds no character inert() escapes, so inert() over the whole line equals inert() over each field. */
function describe(invocation: Invocation): string {
  const parts = [`${invocation.target} (${invocation.kind})`, invocation.status]
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
  const chars = Array.from(inert(text).replace(/\s+/g, ' ').trim())
  const short = chars.length > 80 ? `${chars.slice(0, 79).join('')}…` : chars.join('')
  return short.replace(/[;#%&<]/g, (ch) => `#${ch.charCodeAt(0)};`)
}
