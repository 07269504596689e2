import { describe, expect, it } from 'vitest'
import { agentTranscriptPath, countTurns } from '../../src/workflow/core.ts'
import { endsWithAnswer, lastAssistantText } from '../../src/workflow/turns.ts'

const line = (entry: unknown) => JSON.stringify(entry)

describe("an agent's turns, from its transcript", () => {
  it('counts assistant messages, not the lines each content block was written as; user lines and torn lines are not turns', () => {
    const jsonl = [
      line({ type: 'user', message: { role: 'user', content: 'Edit this.' } }),
      line({ type: 'assistant', message: { id: 'msg_1', content: [{ type: 'text', text: 'Reading.' }] } }),
      line({ type: 'assistant', message: { id: 'msg_1', content: [{ type: 'tool_use', name: 'Read' }] } }),
      line({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', content: 'assistant' }] } }),
      line({ type: 'assistant', message: { id: 'msg_2', content: [{ type: 'text', text: 'Done.' }] } }),
      '{"type":"assistant","message":{"id":"msg_3"', // torn: still being written
    ].join('\n')
    expect(countTurns(jsonl)).toBe(2)
    expect(countTurns('')).toBe(0)
  })

  // How the hooks module tells a transcript whose last message (the answer) has not landed yet (2.1.331 under load).
  it('tells a transcript that ends with an answer from one whose last message is a tool call', () => {
    const asking = line({ type: 'assistant', message: { id: 'msg_1', content: [{ type: 'tool_use', name: 'Read' }] } })
    const result = line({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', content: 'x' }] } })
    const answer = line({ type: 'assistant', message: { id: 'msg_2', content: [{ type: 'text', text: 'Done.' }] } })
    expect(endsWithAnswer([asking, result].join('\n'))).toBe(false)
    expect(endsWithAnswer([asking, result, answer].join('\n'))).toBe(true)
    expect(endsWithAnswer('')).toBe(false)
  })

  // How the settings hooks, answered in a running server, tell a transcript Claude Code has not finished writing.
  it('reads the text of the last assistant message, all its text blocks, and nothing while there is none', () => {
    const first = line({ type: 'assistant', message: { id: 'msg_1', content: [{ type: 'text', text: 'Reading.' }] } })
    const last = [
      line({ type: 'assistant', message: { id: 'msg_2', content: [{ type: 'text', text: 'Kites, ' }] } }),
      line({ type: 'assistant', message: { id: 'msg_2', content: [{ type: 'text', text: 'edited.' }] } }),
    ]
    expect(lastAssistantText([first, ...last].join('\n'))).toBe('Kites, \nedited.')
    expect(lastAssistantText(first)).toBe('Reading.') // the answer not written yet: not the answer
    expect(lastAssistantText(`${first}\n{"type":"assistant","message":{"id":"msg_2"`)).toBe('Reading.')
    expect(lastAssistantText(line({ type: 'user', message: { content: 'assistant' } }))).toBeUndefined()
  })

  it("finds the agent's transcript beside the session's, and keeps an odd id inside that folder", () => {
    expect(agentTranscriptPath('/h/.claude/projects/p/s1.jsonl', 'a1b2')).toBe(
      '/h/.claude/projects/p/s1/subagents/agent-a1b2.jsonl',
    )
    expect(agentTranscriptPath('/h/p/s1.jsonl', '../../etc/passwd')).toBe('/h/p/s1/subagents/agent-etcpasswd.jsonl')
  })
})
