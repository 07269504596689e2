// The hooks module's call log in segments: a write rewrites the newest segment (and an older one only to
// complete a record there), never the whole session's log; a resume reads every segment; a segment the
// module cannot read as a plain file (planted as a link, a pipe, past what one read answers) is never
// written over, and the session's calls cannot be counted (the guard fails, as on the Node side).
import { describe, expect, it } from 'vitest'
import type { Engine } from '../../src/module/mod-api.ts'
import { openModuleLog } from '../../src/module/module-log.ts'
import { decideCallHere } from '../../src/module/call-handling.ts'
import { openSession } from '../../src/module/session-state.ts'
import { mergePolicy } from '../../src/guard/core.ts'
import { parseSnapshot } from '../../src/registry/snapshot-format.ts'
import { MODULE_LOG_SEGMENT_CHARS, recordLine } from '../../src/trace/core.ts'
import type { CallRecord } from '../../src/trace/core.ts'
import { examplesSnapshot, fsFailure, memoryEngine } from '../helpers/module-handlers.ts'

const examplesSnapshotOf = () => parseSnapshot(examplesSnapshot())!

const DIR = '/data/sessions/s1'
const SEGMENT_0 = `${DIR}/calls-module.jsonl`
const SEGMENT_1 = `${DIR}/calls-module.1.jsonl`
const SEGMENT_2 = `${DIR}/calls-module.2.jsonl`

/** A call's start, about a kilobyte with its reason, as a long session's records are. */
const call = (id: string, ts: number): CallRecord => ({
  e: 'call',
  id,
  parent: null,
  caller: 'main',
  callerAgent: null,
  target: 'tdd-editor:editor',
  kind: 'agent',
  ts,
  status: 'denied',
  reason: `budget: ${'x'.repeat(900)}`,
})

/** A `$` on an in-memory folder, counting the writes to each file. */
function engine(files = new Map<string, string>()) {
  const writes = new Map<string, number>()
  const $ = memoryEngine(files, {})
  const write = $.fs.write
  $.fs.write = async (path, text) => {
    writes.set(path, (writes.get(path) ?? 0) + 1)
    return write(path, text)
  }
  return { $, files, writes }
}

describe("the hooks module's call log", () => {
  it('begins a new segment once one is full, and writes only the newest after that', async () => {
    const { $, files, writes } = engine()
    const log = await openModuleLog($, DIR)
    let n = 0
    while (!files.has(SEGMENT_1)) {
      log.add(call(`c${n}`, n++))
      await log.write()
    }
    const first = files.get(SEGMENT_0)!
    expect(first.length).toBeGreaterThanOrEqual(MODULE_LOG_SEGMENT_CHARS)
    expect(first.length).toBeLessThan(MODULE_LOG_SEGMENT_CHARS + 2_000)
    const written = writes.get(SEGMENT_0)
    for (let i = 0; i < 20; i++) {
      log.add(call(`d${i}`, n++))
      await log.write()
    }
    expect(writes.get(SEGMENT_0)).toBe(written)
    expect(files.get(SEGMENT_0)).toBe(first)
    expect(files.get(SEGMENT_1)!.split('\n').filter(Boolean)).toHaveLength(21)
    expect(log.records).toHaveLength(n)
  })

  it('completes a record of an older segment by writing that segment again, and only it', async () => {
    const { $, files, writes } = engine()
    const log = await openModuleLog($, DIR)
    const end: CallRecord = { e: 'end', id: 'c0', status: 'ok', ts: 1, durationMs: 5 }
    log.add(end)
    let n = 1
    while (!files.has(SEGMENT_1)) {
      log.add(call(`c${n}`, n++))
      await log.write()
    }
    const newest = writes.get(SEGMENT_1)
    Object.assign(end, { tokens: 1234 })
    log.changed(end)
    await log.write()
    expect(files.get(SEGMENT_0)).toContain('"tokens":1234')
    expect(writes.get(SEGMENT_1)).toBe(newest)
  })

  it('reads every segment of a resumed session, in time order, and goes on in the newest', async () => {
    const files = new Map([
      [SEGMENT_0, [call('a', 1), call('b', 3)].map(recordLine).join('')],
      [SEGMENT_1, [call('c', 2), call('d', 4)].map(recordLine).join('')],
    ])
    const { $, writes } = engine(files)
    const log = await openModuleLog($, DIR)
    expect(log.unreadable).toBeUndefined()
    expect(log.records.map((r) => ('id' in r ? r.id : ''))).toEqual(['a', 'c', 'b', 'd'])
    log.add(call('e', 5))
    await log.write()
    expect([...writes.keys()]).toEqual([SEGMENT_1])
    expect(files.get(SEGMENT_1)!.split('\n').filter(Boolean)).toHaveLength(3)
  })

  it('writes a segment whose write failed again with the next record: nothing in memory is lost', async () => {
    const { $, files } = engine()
    let refuse = true
    const write = $.fs.write
    $.fs.write = async (path, text) => {
      if (refuse) throw fsFailure('write', path, 'ENOSPC')
      return write(path, text)
    }
    const log = await openModuleLog($, DIR)
    log.add(call('a', 1))
    await expect(log.write()).rejects.toThrow(/ENOSPC/)
    refuse = false
    log.add(call('b', 2))
    await log.write()
    expect(files.get(SEGMENT_0)).toContain('"id":"a"')
  })

  // Planted before a resume by whatever can write the data folder (a model's Bash step): a link would lead the
  // module's writes to its target, a pipe would hold its read, and one too long to read in one answer would
  // be read as the session's first 4 MiB.
  it.each([
    ['a link', { kind: 'other', isLink: true, size: 0 }, undefined],
    ['a pipe', { kind: 'other', size: 0 }, undefined],
    ['past what one read answers', { kind: 'file', size: 5 * 1024 * 1024 }, undefined],
    ['a file Claude Code refuses to read', { kind: 'file', size: 10 }, 'EACCES'],
  ])('never writes over a segment that is %s; the session cannot count its calls', async (_, entry, refusal) => {
    const files = new Map([
      [SEGMENT_0, recordLine(call('a', 1))],
      [SEGMENT_1, 'PLANTED'],
    ])
    const { $, writes } = engine(files)
    const list = $.fs.list
    $.fs.list = async (path) =>
      (await list(path)).map((e) => (e.name === 'calls-module.1.jsonl' ? { ...e, ...entry } : { ...e, size: 1 }))
    const read = $.fs.read
    $.fs.read = (async (path: string, options?: never) => {
      if (path === SEGMENT_1) {
        if (refusal) throw fsFailure('read', path, refusal)
        throw new Error(`the test read ${path}, which the module must not`)
      }
      return read(path, options as never)
    }) as typeof read
    const log = await openModuleLog($, DIR)
    expect(log.unreadable).toMatch(
      /^cannot read the session's call log \/data\/sessions\/s1\/calls-module\.1\.jsonl \(.+\), so its calls cannot be counted\. Move the file away and resume the session$/,
    )
    log.add(call('b', 2))
    await log.write()
    expect([...writes.keys()]).toEqual([SEGMENT_2])
    expect(files.get(SEGMENT_1)).toBe('PLANTED')
  })

  // The Node side reads every segment there too (trace/call-log.ts): one moved away leaves no records unread.
  it('reads every segment there, gaps and all, and goes on in the last', async () => {
    const files = new Map([
      [SEGMENT_0, recordLine(call('a', 1))],
      [SEGMENT_2, recordLine(call('c', 3))],
    ])
    const { $, writes } = engine(files)
    const log = await openModuleLog($, DIR)
    expect(log.records.map((r) => ('id' in r ? r.id : ''))).toEqual(['a', 'c'])
    log.add(call('d', 4))
    await log.write()
    expect([...writes.keys()]).toEqual([SEGMENT_2])
  })

  it('counts nothing and writes nothing where the session folder cannot be listed', async () => {
    const files = new Map([[SEGMENT_0, recordLine(call('a', 1))]])
    const { $, writes } = engine(files)
    $.fs.list = async (path) => {
      throw fsFailure('list', path ?? '', 'EACCES')
    }
    const log = await openModuleLog($, DIR)
    expect(log.unreadable).toMatch(/^cannot list the session's folder \/data\/sessions\/s1 \(.*EACCES\)/)
    expect(log.listed).toBeUndefined()
    log.add(call('b', 2))
    await log.write()
    expect(writes.size).toBe(0)
  })

  it('reads no segment where they hold more than a session writes, and goes on after them', async () => {
    const files = new Map([
      [SEGMENT_0, recordLine(call('a', 1))],
      [SEGMENT_1, recordLine(call('b', 2))],
    ])
    const { $, writes } = engine(files)
    const list = $.fs.list
    $.fs.list = async (path) => (await list(path)).map((e) => ({ ...e, size: 9 * 1024 * 1024 }))
    const log = await openModuleLog($, DIR)
    expect(log.unreadable).toMatch(/2 segments of 18874368 bytes, more than a session's calls write/)
    expect(log.records).toHaveLength(0)
    log.add(call('c', 3))
    await log.write()
    expect([...writes.keys()]).toEqual([SEGMENT_2])
  })

  it('puts records added while a full segment is written into the next one', async () => {
    const { $, files } = engine()
    const log = await openModuleLog($, DIR)
    let n = 0
    const write = $.fs.write
    let hold: (() => void) | undefined
    $.fs.write = async (path, text) => {
      if (text.length >= MODULE_LOG_SEGMENT_CHARS) await new Promise<void>((resolve) => (hold = resolve))
      return write(path, text)
    }
    let saving: Promise<void> | undefined
    while (!hold) {
      log.add(call(`c${n}`, n++))
      saving = log.write()
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
    log.add(call('late', n++))
    const late = log.write()
    hold()
    await Promise.all([saving, late])
    expect(files.get(SEGMENT_0)).not.toContain('"id":"late"')
    expect(files.get(SEGMENT_1)).toBe(recordLine(call('late', n - 1)))
  })

  it('counts a segment gone since the listing as empty (a person moved it away)', async () => {
    const files = new Map([[SEGMENT_0, recordLine(call('a', 1))]])
    const { $ } = engine(files)
    const list = $.fs.list
    $.fs.list = async (path) => [...(await list(path)), { name: 'calls-module.1.jsonl', kind: 'file', size: 10 }]
    const log = await openModuleLog($, DIR)
    expect(log.unreadable).toBeUndefined()
    expect(log.records).toHaveLength(1)
  })

  it('has the session refuse every call it tracks while a segment cannot be read, in either mode', async () => {
    const files = new Map([['/data/sessions/s1/calls-module.jsonl', 'x']])
    const $ = memoryEngine(files, { SWITCHBOARD_DATA_DIR: '/data' }, { sessionId: 's1' })
    $.fs.list = async (path) =>
      path === DIR ? [{ name: 'calls-module.jsonl', kind: 'other', isLink: true, size: 0 }] : []
    const s = await openSession($ as Engine, '/project', {
      context: '',
      dataDir: '/data',
      snapshot: examplesSnapshotOf(),
    })
    expect(s.uncounted).toMatch(/cannot read the session's call log .*calls-module\.jsonl \(not a plain file\)/)
    const decided = await decideCallHere(s, mergePolicy([], s.env), new Map(), {
      id: 't1',
      agentId: undefined,
      target: 'tdd-editor:editor',
      kind: 'agent',
      text: 'Edit.',
    })
    expect(decided).toEqual({
      deny: expect.stringMatching(/^Switchboard: unchecked: cannot read the session's call log/),
    })
    // A built-in agent is no call the guard tracks: it runs.
    const builtIn = await decideCallHere(s, mergePolicy([], s.env), new Map(), {
      id: 't2',
      agentId: undefined,
      target: 'general-purpose',
      kind: 'agent',
      text: 'Look around.',
    })
    expect(builtIn).toMatchObject({ traced: false })
  })
})
