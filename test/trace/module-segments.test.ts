// The Node side reads the hooks module's log in its segments (trace/records.ts MODULE_LOG_SEGMENT_CHARS): every
// segment there is, in order, merged with the settings hooks' log; a segment the module rewrote (a record
// completed behind its call changes bytes read before) is read whole again, not on from where it was.
import { mkdirSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listSessions, readRecords, sessionDir } from '../../src/trace/index.ts'
import { recordLine } from '../../src/trace/records.ts'
import type { CallRecord } from '../../src/trace/records.ts'
import { testdir } from '../helpers/testdir.ts'

const start = (agent: string, ts: number): CallRecord => ({ e: 'start', agent, type: 't', ts })
const end = (id: string, ts: number, tokens?: number): CallRecord => ({
  e: 'end',
  id,
  status: 'ok',
  ts,
  durationMs: 1,
  ...(tokens ? { tokens } : {}),
})
const lines = (...records: CallRecord[]) => records.map(recordLine).join('')
const agents = (records: CallRecord[]) => records.map((r) => ('agent' in r ? r.agent : 'id' in r ? r.id : ''))

describe("the hooks module's log segments, read on the Node side", () => {
  it('reads every segment there in order, gaps and all (as the module does), merged in time with the settings log', () => {
    const dir = testdir()
    writeFileSync(join(dir, 'calls.jsonl'), lines(start('s', 3)))
    writeFileSync(join(dir, 'calls-module.jsonl'), lines(start('a', 1), start('b', 4)))
    writeFileSync(join(dir, 'calls-module.1.jsonl'), lines(start('c', 2), start('d', 5)))
    // No segment 2 (moved away, as the guard's message says to): the module reads on, and writes after 3.
    writeFileSync(join(dir, 'calls-module.3.jsonl'), lines(start('z', 6)))
    writeFileSync(join(dir, 'calls-module.x.jsonl'), lines(start('y', 7))) // no segment's name
    expect(agents(readRecords(dir))).toEqual(['a', 'c', 's', 'b', 'd', 'z'])
  })

  it('reads a segment rewritten with a record completed in its middle whole again', () => {
    const dir = testdir()
    const file = join(dir, 'calls-module.jsonl')
    writeFileSync(file, lines(end('x', 1), start('a', 2)))
    expect(readRecords(dir)).toHaveLength(2)
    // In place, longer: the end now has its tokens, and a record is added after it.
    writeFileSync(file, lines(end('x', 1, 1234), start('a', 2), start('b', 3)), { flag: 'r+' })
    const read = readRecords(dir)
    expect(agents(read)).toEqual(['x', 'a', 'b'])
    expect(read[0]).toMatchObject({ tokens: 1234 })
  })

  // As the module counts them (module/module-log.ts): the session's chains cannot be counted, a guard failure.
  it('refuses to count a session whose segment is a link, or whose segments are past what its calls write', () => {
    const linked = testdir()
    writeFileSync(join(linked, 'calls-module.jsonl'), lines(start('a', 1)))
    writeFileSync(join(linked, 'elsewhere.jsonl'), lines(start('b', 2)))
    symlinkSync(join(linked, 'elsewhere.jsonl'), join(linked, 'calls-module.1.jsonl'))
    expect(() => readRecords(linked)).toThrow(/calls-module\.1\.jsonl \(not a plain file\)/)
    const padded = testdir()
    for (const name of ['calls-module.jsonl', 'calls-module.1.jsonl']) {
      writeFileSync(join(padded, name), lines(start('a', 1)))
      truncateSync(join(padded, name), 9 * 1024 * 1024) // sparse: sized, not written
    }
    expect(() => readRecords(padded)).toThrow(/2 segments of 18874368 bytes, more than a session's calls write/)
  })

  it('lists a session by its newest segment', () => {
    const data = testdir()
    const [old, busy] = [sessionDir(data, 'old'), sessionDir(data, 'busy')]
    for (const dir of [old, busy]) {
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'calls-module.jsonl'), lines(start('a', 1)))
      utimesSync(join(dir, 'calls-module.jsonl'), 1000, 1000)
    }
    writeFileSync(join(old, 'calls.jsonl'), lines(start('b', 1)))
    utimesSync(join(old, 'calls.jsonl'), 2000, 2000)
    writeFileSync(join(busy, 'calls-module.1.jsonl'), lines(start('c', 2)))
    utimesSync(join(busy, 'calls-module.1.jsonl'), 3000, 3000)
    expect(listSessions(data).map((s) => s.id)).toEqual(['busy', 'old'])
  })
})
