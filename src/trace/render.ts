/** A session's invocations as a tree (text) or a Mermaid sequence diagram. */
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

function describe(invocation: Invocation): string {
  const parts = [`${invocation.target} (${invocation.kind})`, invocation.status]
  if (invocation.durationMs !== null && invocation.status !== 'denied') parts.push(`${invocation.durationMs} ms`)
  if (invocation.tokens !== null) parts.push(`${invocation.tokens} tokens`)
  if (invocation.reason) parts.push(invocation.reason)
  return `${parts[0]}  ${parts.slice(1).join(', ')}  [${invocation.id}]`
}

/** Mermaid message text may not hold ";", "#" or line breaks; keep it short and plain. */
function label(text: string): string {
  const plain = text.replace(/[;#\n\r]/g, ' ').replace(/\s+/g, ' ').trim()
  return plain.length > 80 ? `${plain.slice(0, 79)}…` : plain
}
