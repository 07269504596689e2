import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { transcriptTurns } from '../../src/hooks/post-tool-use.ts'

const turn = (id: string, content: unknown[]) =>
  `${JSON.stringify({ type: 'assistant', message: { id, role: 'assistant', content } })}\n`
const TRANSCRIPT =
  turn('m1', [{ type: 'tool_use', name: 'Read', input: {} }]) +
  turn('m2', [{ type: 'tool_use', name: 'Read', input: {} }]) +
  turn('m3', [{ type: 'text', text: 'Kites, edited.' }])

describe("an agent's turns, read from its transcript for a workflow's budget", () => {
  it('waits for a transcript Claude Code has not written yet (2.1.197 under load read it as no turns)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sb-turns-')), 'agent-a1.jsonl')
    setTimeout(() => writeFileSync(file, TRANSCRIPT), 120)
    expect(await transcriptTurns(file, 'Kites, edited.')).toBe(3)
  })

  it('waits for the last message, then counts each message once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sb-turns-')), 'agent-a2.jsonl')
    writeFileSync(file, TRANSCRIPT.split('\n').slice(0, 2).join('\n'))
    setTimeout(() => writeFileSync(file, TRANSCRIPT), 80)
    expect(await transcriptTurns(file, 'Kites, edited.')).toBe(3)
  })

  it('answers unknown for a transcript that never appears, and for one that is no file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-turns-'))
    expect(await transcriptTurns(join(dir, 'agent-none.jsonl'), 'x', 100)).toBeUndefined()
    expect(await transcriptTurns(dir, 'x', 100)).toBeUndefined()
  })
})
