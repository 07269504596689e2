/**
 * What Claude Code lists to the model: the agent types and skills it offers, parsed from the first
 * main-thread request (a system-role message after the first user message on 2.1.197 and 2.1.331,
 * lines such as `- plug:agent: description (Tools: Read, Grep)`).
 */
import { messagesText } from './model-server.ts'
import type { RecordedRequest } from './model-server.ts'

export interface ListedAgent {
  id: string
  description: string
  tools: string
}

/**
 * Agents listed to the model, from the first main-thread request. An entry starts with "- <id>: "
 * and ends with " (Tools: ...)"; descriptions may span lines (YAML block scalars keep newlines).
 */
export function agentListing(requests: RecordedRequest[]): ListedAgent[] {
  const text = firstMainText(requests)
  const start = text.indexOf('Available agent types')
  if (start < 0) return []
  const agents: ListedAgent[] = []
  let entry: string | undefined
  for (const line of text.slice(start).split('\n').slice(1)) {
    if (entry === undefined) {
      if (!line.startsWith('- ')) {
        if (agents.length > 0 && line.trim() !== '') break
        continue
      }
      entry = line
    } else {
      entry += `\n${line}`
    }
    const match = /^- (.+?): ([\s\S]*) \(Tools: (.*)\)$/.exec(entry)
    if (match && line.endsWith(')')) {
      agents.push({ id: match[1]!, description: match[2]!, tools: match[3]! })
      entry = undefined
    }
  }
  return agents
}

function firstMainText(requests: RecordedRequest[]): string {
  const first = requests.find((r) => r.conversation === 'main')
  return first ? messagesText(first.messages) : ''
}
