// readAgentMeta reads Claude Code's `subagents/agent-<id>.meta.json` beside a session transcript: by an agent id
// that came with a hook input, which names a file only when it is one of Claude Code's ids.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readAgentMeta } from '../../src/hooks/session-files.ts'
import { testdir } from '../helpers/testdir.ts'

describe("an agent's meta file", () => {
  it('is read by an agent id Claude Code gives, and never by one that walks out of the folder', () => {
    const root = testdir({
      'project/session-1/subagents/agent-a1b2c3.meta.json': { toolUseId: 'toolu_1', requestShape: 'background' },
      'project/session-1/agent-x.meta.json': { toolUseId: 'toolu_planted' },
    })
    const transcript = join(root, 'project', 'session-1.jsonl')
    expect(readAgentMeta(transcript, 'a1b2c3')).toEqual({ toolUseId: 'toolu_1', requestShape: 'background' })
    expect(readAgentMeta(transcript, '../agent-x')).toBeUndefined()
    expect(readAgentMeta(transcript, 'a1b2c3/../../agent-x')).toBeUndefined()
  })
})
