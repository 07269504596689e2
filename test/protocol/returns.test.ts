import { describe, expect, it } from 'vitest'
import { responseText } from '../../src/protocol/index.ts'

const ANSWER = 'NOTES: kites fly.\n<tools-used-before-summary>Bash</tools-used-before-summary> is what I did not use.'
const text = (t: string) => ({ type: 'text', text: t })

describe('responseText', () => {
  it('drops the harness note Claude Code 2.1.331+ puts before the answer of an agent that used tools', () => {
    // The tool_response PostToolUse receives on 2.1.332 and 2.1.331 (observed; docs/claude-code-notes.md#agent-results).
    const response = {
      harnessNoteCount: 1,
      harnessTailCount: 0,
      content: [text('<tools-used-before-summary>Read</tools-used-before-summary>\n'), text(ANSWER)],
    }
    expect(responseText(response)).toBe(ANSWER)
  })

  it('drops harness tail blocks too, and keeps every block of the answer', () => {
    const response = {
      harnessNoteCount: 2,
      harnessTailCount: 1,
      content: [text('note 1'), text('note 2'), text('part 1'), text('part 2'), text('tail')],
    }
    expect(responseText(response)).toBe('part 1\npart 2')
  })

  it('keeps a tag the agent wrote itself, even at the very start of its answer, when Claude Code counts no note', () => {
    const own = '<tools-used-before-summary>Read</tools-used-before-summary>\nmine'
    expect(responseText({ harnessNoteCount: 0, harnessTailCount: 0, content: [text(own)] })).toBe(own)
    expect(responseText({ content: [text(own)] })).toBe(own) // 2.1.197 sends no counts and no note
  })

  it('ignores counts that do not describe the content', () => {
    const content = [text('only the answer')]
    expect(responseText({ harnessNoteCount: 1, harnessTailCount: 1, content })).toBe('only the answer')
    expect(responseText({ harnessNoteCount: -1, content })).toBe('only the answer')
    expect(responseText({ harnessNoteCount: '1', content })).toBe('only the answer')
  })
})
