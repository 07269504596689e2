// Found by review: the module read any JSON file with a `name` in the session's context folder as a slot
// (keyed by that name, so `decoy.json` stood for `other`), and a slot file with no writer or no value
// crashed the guard after it had allowed the call, which then ran unchecked and out of its chain. Both
// runtimes now read a slot file one way (context/slots.ts parseSlot): a file that holds no slot of its own
// name is none, and a call naming it is refused as naming an unknown slot.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { getSlot, listSlots, putSlot } from '../../src/context/index.ts'
import { parseSlot } from '../../src/context/core.ts'
import type { Engine } from '../../src/module/mod-api.ts'
import { openSession } from '../../src/module/session-state.ts'
import { testdir } from '../helpers/testdir.ts'

const valid = { name: 'x', type: 'text' as const, value: 'v', writer: 'cli', ts: 1 }

describe('a slot file', () => {
  it('is a slot only with its own name, a type, a value of that type, a writer and a time', () => {
    const parse = (data: unknown, name = 'x') => parseSlot(JSON.stringify(data), name)
    expect(parse(valid)).toEqual(valid)
    expect(parse({ ...valid, type: 'json', value: null })).toMatchObject({ value: null })
    expect(parse({ ...valid, secret: true, shareWith: ['a'] })).toMatchObject({ secret: true })
    for (const forged of [
      { ...valid, name: 'other' },
      { ...valid, writer: undefined },
      { name: 'x', type: 'json', writer: 'cli', ts: 1 },
      { ...valid, value: 7 },
      { ...valid, type: 'html' },
      { ...valid, ts: '1' },
      { ...valid, secret: 'yes' },
      { ...valid, shareWith: 'a' },
      { ...valid, shareWith: [1] },
      [valid],
      null,
    ])
      expect(parse(forged)).toBeUndefined()
    expect(parseSlot('{"name": "x", "type": "te', 'x')).toBeUndefined() // torn
  })

  it('is read the same way by the Node side and by the module', async () => {
    const data = testdir()
    const dir = join(data, 'sessions', 's1')
    putSlot(dir, { name: 'ok', type: 'text', value: 'fine', writer: 'cli' })
    const forged = {
      'decoy.json': { ...valid, name: 'other' },
      'x.json': { name: 'x', type: 'text', secret: true },
      'y.json': { name: 'y', type: 'json', writer: 'cli', ts: 1 },
      'not-a-name!.json': { ...valid, name: 'not-a-name!' },
    }
    for (const [file, body] of Object.entries(forged)) writeFileSync(join(dir, 'context', file), JSON.stringify(body))
    expect(listSlots(dir).map((slot) => slot.name)).toEqual(['ok'])
    expect(['other', 'x', 'y'].map((name) => getSlot(dir, name))).toEqual([undefined, undefined, undefined])
    const $ = {
      plugin: { name: 'switchboard', root: '/plugin' },
      session: { id: async () => 's1', info: async () => ({}) },
      env: { get: async () => undefined, set: async () => ({}) },
      fs: {
        read: async (path: string) => readFileSync(path, 'utf8'),
        write: async (path: string, text: string) => {
          mkdirSync(join(path, '..'), { recursive: true })
          writeFileSync(path, text)
        },
        exists: async () => true,
        list: async (path: string) => readdirSync(path).map((name) => ({ name, kind: 'file' })),
        stat: async () => ({ kind: 'dir', size: 0, mtimeMs: 0, isLink: false }),
      },
    } as unknown as Engine
    const state = await openSession($, data, { context: '', dataDir: data, snapshot: undefined as never })
    expect([...(await state.slots()).keys()]).toEqual(['ok'])
    // A return stored as OK would be ok.json on a disk that folds case (context/slots.ts caseTwin).
    await expect(state.writeSlot({ ...valid, name: 'OK', writer: 'return:a:b' })).rejects.toThrow(
      'there is a slot "ok", whose name differs from "OK" only in letter case',
    )
    expect(getSlot(dir, 'ok')).toMatchObject({ value: 'fine' })
  })
})
