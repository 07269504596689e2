// The call log read on from where it was (trace/log-reader.ts): the same records, in the same order, as a
// whole read, whatever is appended, torn, replaced or truncated between two reads.
import { appendFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLogRecords } from '../../src/trace/log-reader.ts'
import { mergeLogs, recordLine } from '../../src/trace/records.ts'
import type { CallRecord } from '../../src/trace/records.ts'
import { testdir } from '../helpers/testdir.ts'

const start = (agent: string, ts: number): CallRecord => ({ e: 'start', agent, type: 't', ts })
const lines = (...records: CallRecord[]) => records.map(recordLine).join('')
const MAX = 1024 * 1024

describe('readLogRecords', () => {
  it('reads what was appended since, as a whole read does, a torn last line once it is whole', () => {
    const file = join(testdir(), 'calls.jsonl')
    writeFileSync(file, lines(start('a', 1), start('b', 2)))
    expect(readLogRecords(file, MAX).map((r) => 'agent' in r && r.agent)).toEqual(['a', 'b'])
    // A record being written: not read yet, and read once the rest of it is there.
    const half = recordLine(start('c', 3))
    appendFileSync(file, half.slice(0, 10))
    expect(readLogRecords(file, MAX)).toHaveLength(2)
    appendFileSync(file, half.slice(10) + lines(start('d', 0), start('e', 4)))
    const read = readLogRecords(file, MAX)
    expect(read).toEqual(mergeLogs([lines(start('a', 1), start('b', 2), start('c', 3), start('d', 0), start('e', 4))]))
    expect(read.map((r) => 'agent' in r && r.agent)).toEqual(['d', 'a', 'b', 'c', 'e']) // in time order
  })

  it('reads on only from where it was: a byte changed before that is not read again (the log is append-only)', () => {
    const file = join(testdir(), 'calls.jsonl')
    writeFileSync(file, lines(start('a', 1)))
    readLogRecords(file, MAX)
    const text = lines(start('z', 1))
    writeFileSync(file, text + lines(start('b', 2)), { flag: 'r+' }) // same file, rewritten in place and longer
    expect(readLogRecords(file, MAX).map((r) => 'agent' in r && r.agent)).toEqual(['a', 'b'])
  })

  it('reads a replaced or truncated file whole again', () => {
    const dir = testdir()
    const file = join(dir, 'calls.jsonl')
    writeFileSync(file, lines(start('a', 1), start('b', 2)))
    readLogRecords(file, MAX)
    writeFileSync(join(dir, 'other'), lines(start('x', 5), start('y', 6), start('z', 7)))
    renameSync(join(dir, 'other'), file)
    expect(readLogRecords(file, MAX).map((r) => 'agent' in r && r.agent)).toEqual(['x', 'y', 'z'])
    truncateSync(file, recordLine(start('x', 5)).length)
    expect(readLogRecords(file, MAX).map((r) => 'agent' in r && r.agent)).toEqual(['x'])
  })

  it('refuses a file past the bound, and reads it again once it is within it', () => {
    const file = join(testdir(), 'calls.jsonl')
    writeFileSync(file, lines(start('a', 1), start('b', 2)))
    expect(() => readLogRecords(file, 40)).toThrow(/EFBIG/)
    expect(readLogRecords(file, MAX)).toHaveLength(2)
  })
})
