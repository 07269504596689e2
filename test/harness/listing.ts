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

/** Agents listed to the model, from the first main-thread request. */
export function agentListing(requests: RecordedRequest[]): ListedAgent[] {
  const text = firstMainText(requests)
  const start = text.indexOf('Available agent types')
  if (start < 0) return []
  const section = text.slice(start).split('\n').slice(1)
  const agents: ListedAgent[] = []
  for (const line of section) {
    if (!line.startsWith('- ')) {
      if (agents.length > 0 && line.trim() === '') continue
      if (agents.length > 0) break
      continue
    }
    const match = /^- (.+?): ([\s\S]*) \(Tools: (.*)\)$/.exec(line)
    if (match) agents.push({ id: match[1]!, description: match[2]!, tools: match[3]! })
  }
  return agents
}

/** Skill and command ids listed for the Skill tool (aliases in parentheses dropped). */
export function skillListing(requests: RecordedRequest[]): Array<{ id: string; description: string }> {
  const text = firstMainText(requests)
  const start = text.indexOf('skills are available for use with the Skill tool')
  if (start < 0) return []
  return text
    .slice(start)
    .split('\n')
    .slice(1)
    .filter((line) => line.startsWith('- '))
    .map((line) => {
      const match = /^- ([^\s:]+(?::[^\s:]+)*)(?: \([^)]*\))?(?:: (.*))?$/.exec(line)
      return { id: match?.[1] ?? line.slice(2), description: match?.[2] ?? '' }
    })
}

function firstMainText(requests: RecordedRequest[]): string {
  const first = requests.find((r) => r.conversation === 'main')
  return first ? messagesText(first.messages) : ''
}
