// Links planted in the data folder (a model's Bash step can write there) are never followed to write or
// delete elsewhere. Found by review: an abandoned lock linked to a folder had that folder's files unlinked
// one by one, and a call log linked to a shell's start file took a line with a model's `$(...)` in it.
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { clearSlots, getSlot, listSlots, putSlot } from '../../src/context/index.ts'
import type { Engine } from '../../src/module/mod-api.ts'
import { openSession } from '../../src/module/session-state.ts'
import { appendRecord, readRecords, withSessionLock } from '../../src/trace/index.ts'
import { cli } from '../helpers/cli.ts'
import { testdir } from '../helpers/testdir.ts'

/**
 * Session `id` in the data folder `root`, as the module opens it, on a `$` whose `$.fs.stat` says the path
 * ending `linked` is a link and whose writes are only listed (`written`).
 */
/** What the module's `$.fs.list` answers (moduleSession): nothing, unless a test puts entries there. */
const listed: { entries: Array<{ name: string; kind: string; isLink?: boolean }> } = { entries: [] }

async function moduleSession(root: string, id: string, linked: string) {
  listed.entries = []
  const written: string[] = []
  const $ = {
    plugin: { name: 'switchboard', root: '/plugin' },
    session: { id: async () => id, info: async () => ({}) },
    env: { get: async () => undefined, set: async () => ({}) },
    fs: {
      read: async () => {
        throw new Error('ENOENT')
      },
      write: async (path: string) => {
        written.push(path)
      },
      stat: async (path: string) => ({ kind: 'dir', size: 0, mtimeMs: 0, isLink: path.endsWith(linked) }),
      exists: async () => false,
      list: async () => listed.entries,
    },
  } as unknown as Engine
  const state = await openSession($, root, { context: '', dataDir: root, snapshot: undefined as never })
  return { state, written }
}

describe('a link in the data folder', () => {
  it("in the session lock's place is removed, never what it leads to", () => {
    const root = testdir()
    const victim = join(root, 'victim')
    mkdirSync(victim)
    for (const name of ['a.txt', 'b.txt']) {
      writeFileSync(join(victim, name), 'keep me')
      utimesSync(join(victim, name), new Date(0), new Date(0)) // old enough to look like an abandoned owner
    }
    const session = join(root, 'sessions', 's2')
    mkdirSync(session, { recursive: true })
    symlinkSync(victim, join(session, 'lock'))
    expect(withSessionLock(session, () => 'decided')).toBe('decided')
    expect(readdirSync(victim).sort()).toEqual(['a.txt', 'b.txt'])
  })

  it("in a call log's place makes the record fail, and writes nothing where it leads", () => {
    const root = testdir()
    const rc = join(root, 'victim-rc')
    writeFileSync(rc, '# a shell start file\n')
    const session = join(root, 'sessions', 's3')
    mkdirSync(session, { recursive: true })
    symlinkSync(rc, join(session, 'calls.jsonl'))
    const record = {
      e: 'call' as const,
      id: 'toolu_1',
      parent: null,
      caller: 'main',
      callerAgent: null,
      target: `evilplug:$(touch ${join(root, 'pwned')})`,
      kind: 'agent' as const,
      ts: 1,
      status: 'running' as const,
    }
    expect(() => appendRecord(session, record)).toThrow(/ELOOP/)
    expect(readFileSync(rc, 'utf8')).toBe('# a shell start file\n')
    expect(existsSync(join(root, 'pwned'))).toBe(false)
  })

  // A hard link looks like the file itself; what is appended to it lands in its other names (found by review).
  it("in a call log's place as a hard link makes the record fail and the log unreadable, and writes nothing into it", () => {
    const root = testdir()
    const rc = join(root, 'victim-rc')
    writeFileSync(rc, '# a shell start file\n')
    const session = join(root, 'sessions', 's3h')
    mkdirSync(session, { recursive: true })
    linkSync(rc, join(session, 'calls.jsonl'))
    const record = { e: 'stop' as const, agent: 'a1', ts: 1 }
    expect(() => appendRecord(session, record)).toThrow(/EMLINK/)
    expect(() => readRecords(session)).toThrow(/other names/)
    expect(readFileSync(rc, 'utf8')).toBe('# a shell start file\n')
  })

  it("in the context folder's place is never written or cleared through, by the CLI and MCP tools or by the module", async () => {
    const root = testdir()
    const victim = join(root, 'victim2')
    mkdirSync(victim)
    writeFileSync(join(victim, 'settings.json'), '{"theme": "dark"}')
    writeFileSync(join(victim, 'x.json'), '{"not": "a slot"}')
    const session = join(root, 'sessions', 's6')
    mkdirSync(session, { recursive: true })
    symlinkSync(victim, join(session, 'context'))
    expect(() => putSlot(session, { name: 'settings', type: 'text', value: 'owned', writer: 'tool' })).toThrow(
      /is a link, and Switchboard keeps a session's slots only in a folder of its own/,
    )
    expect(clearSlots(session)).toBe(0)
    expect(listSlots(session)).toEqual([])
    expect(readFileSync(join(victim, 'settings.json'), 'utf8')).toBe('{"theme": "dark"}')
    expect(existsSync(join(victim, 'x.json'))).toBe(true)
    // The module's own writes: $.fs.stat says the folder is a link.
    const { state, written } = await moduleSession(root, 's6', '/context')
    await expect(
      state.writeSlot({ name: 'settings', type: 'text', value: 'owned', writer: 'return:x:y', ts: 1 }),
    ).rejects.toThrow(/is a link/)
    expect(written.filter((path) => path.includes('/context/'))).toEqual([])
  })

  // Found by review: the files folder, where a value too large for the envelope goes, was not checked, so a
  // secret's value was written through a link planted there, and a replaced secret's file removed through it.
  it("in the context files folder's place is never written or removed through, by either runtime", async () => {
    const root = testdir()
    const victim = join(root, 'victim3')
    mkdirSync(victim)
    writeFileSync(join(victim, 'api_key-000000000000.txt'), 'keep me')
    const session = join(root, 'sessions', 's8')
    mkdirSync(join(session, 'context'), { recursive: true })
    symlinkSync(victim, join(session, 'context', 'files'))
    expect(() => putSlot(session, { name: 'api_key', type: 'text', value: 'sk', writer: 'cli', secret: true })).toThrow(
      /context\/files is a link/,
    )
    expect(readdirSync(victim)).toEqual(['api_key-000000000000.txt'])
    const { state, written } = await moduleSession(root, 's8', '/context/files')
    await expect(state.writeValueFile(join(session, 'context', 'files', 'big-0.txt'), 'secret')).rejects.toThrow(
      /context\/files is a link/,
    )
    expect(written).toEqual([])
  })

  // `$.fs.write` follows a link (2.1.331, 2.1.332), where the Node side replaces the file: the module looks at
  // the slot's own entry in the listing it asks anyway (for case twins), so the check costs no hop.
  it.each([
    ['a link', { kind: 'other', isLink: true }],
    ['a pipe', { kind: 'other' }],
  ])(
    "in a slot file's place (%s), the module refuses to write the slot, and writes nothing where it leads",
    async (_, entry) => {
      const { state, written } = await moduleSession(testdir(), 's9', '/nothing-linked')
      listed.entries = [{ name: 'draft.json', ...entry }]
      await expect(
        state.writeSlot({ name: 'draft', type: 'text', value: 'DRAFT', writer: 'return:x:y', ts: 1 }),
      ).rejects.toThrow(
        /draft\.json is not a slot file of Switchboard's \(a link, a pipe or another file put in a slot's place\)/,
      )
      expect(written.filter((path) => path.includes('/context/'))).toEqual([])
    },
  )

  it('that is not a slot, in the context folder, is no slot', () => {
    const session = join(testdir(), 'sessions', 's7')
    mkdirSync(join(session, 'context'), { recursive: true })
    writeFileSync(join(session, 'context', 'x.json'), '{"not": "a slot"}')
    expect(getSlot(session, 'x')).toBeUndefined()
    expect(listSlots(session)).toEqual([])
  })
})

// Found by review: one link under sessions/ (a session's context folder linked elsewhere) made `trace`,
// `context list` and `doctor` fail for every session; one forged line made `trace --mermaid` crash.
describe('a data folder with a planted link or a forged trace line', () => {
  it('still lists and shows the other sessions, and draws the diagram', async () => {
    const data = testdir()
    const good = join(data, 'sessions', 'good')
    appendRecord(good, {
      ...{ e: 'call' as const, id: 'toolu_1', parent: null, caller: 'main', callerAgent: null },
      ...{ target: 'tdd-editor:editor', kind: 'agent' as const, ts: 1, status: 'running' as const },
    })
    writeFileSync(
      join(good, 'calls.jsonl'),
      '\n{"e":"call","id":"toolu_2","parent":null,"caller":null,"target":"x:y","kind":"agent","ts":2,"status":"running"}\n',
      { flag: 'a' },
    )
    const linked = join(data, 'sessions', 'linked')
    mkdirSync(linked, { recursive: true })
    symlinkSync(testdir(), join(linked, 'context'))
    const env = { SWITCHBOARD_DATA_DIR: data }
    const traced = await cli(['trace', '--session', 'good'], { env })
    expect(traced.code).toBe(0)
    expect(traced.stdout).toContain('tdd-editor:editor')
    const mermaid = await cli(['trace', '--session', 'good', '--mermaid'], { env })
    expect(mermaid.code).toBe(0)
    expect(mermaid.stdout).toContain('sequenceDiagram')
    expect((await cli(['trace', '--session', 'latest'], { env })).code).toBe(0)
  })
})
