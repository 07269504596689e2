import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readBounded, readListedFile } from '../../src/registry/read-bounded.ts'
import { testdir } from '../helpers/testdir.ts'

describe('readListedFile: a file its listing showed as regular, read without an fstat', () => {
  it('reads a file up to the bound whole, and refuses one byte more with its exact size', () => {
    const dir = testdir()
    writeFileSync(join(dir, 'exact.md'), 'x'.repeat(64))
    writeFileSync(join(dir, 'over.md'), 'y'.repeat(65))
    const exact = readListedFile(join(dir, 'exact.md'), 64)
    expect(exact.ok && exact.bytes.toString()).toBe('x'.repeat(64))
    expect(readListedFile(join(dir, 'over.md'), 64)).toMatchObject({ ok: false, problem: 'too-large', size: 65 })
    // The bytes are borrowed until the next read: what a caller decoded stays, the buffer does not.
    const first = readListedFile(join(dir, 'exact.md'), 100)
    const decoded = first.ok && first.bytes.toString()
    readListedFile(join(dir, 'over.md'), 100)
    expect(decoded).toBe('x'.repeat(64))
    expect(first.ok && first.bytes.toString()).toBe('y'.repeat(64))
  })

  it('says missing for a file gone since the listing, and does not block on a FIFO put in its place', () => {
    const dir = testdir()
    expect(readListedFile(join(dir, 'gone.md'), 64)).toMatchObject({ ok: false, problem: 'missing' })
    if (spawnSync('mkfifo', [join(dir, 'fifo.md')]).status !== 0) return
    const read = readListedFile(join(dir, 'fifo.md'), 64) // returns at once: opened non-blocking, no writer
    expect(read.ok ? read.bytes.length : read.problem).toSatisfy((v) => v === 0 || v === 'unreadable')
    expect(readBounded(join(dir, 'fifo.md'), 64)).toMatchObject({ ok: false, problem: 'not-a-file' })
  })
})
