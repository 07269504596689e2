import { existsSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_KEEP_DAYS,
  keepDaysOf,
  pruneOwnDataDaily,
  pruneSessions,
  pruneSessionsDaily,
} from '../../src/trace/session-retention.ts'
import { testdir } from '../helpers/testdir.ts'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 11, 1)

/** A session folder as the hooks leave it, every file last changed `daysAgo` days before NOW. */
function session(dataDir: string, id: string, daysAgo: number, slotDaysAgo = daysAgo, now = NOW): string {
  const dir = join(dataDir, 'sessions', id)
  mkdirSync(join(dir, 'context', 'files'), { recursive: true })
  writeFileSync(join(dir, 'calls.jsonl'), '{"e":"call"}\n')
  writeFileSync(join(dir, 'context', 'api_key.json'), '{"name":"api_key","value":"sk-live","secret":true}')
  writeFileSync(join(dir, 'context', 'files', 'api_key-0123456789ab.txt'), 'sk-live')
  const at = (days: number) => (now - days * DAY) / 1000
  for (const path of [join(dir, 'calls.jsonl'), join(dir, 'context', 'files'), dir])
    utimesSync(path, at(daysAgo), at(daysAgo))
  utimesSync(join(dir, 'context', 'files', 'api_key-0123456789ab.txt'), at(daysAgo), at(daysAgo))
  utimesSync(join(dir, 'context', 'api_key.json'), at(slotDaysAgo), at(slotDaysAgo))
  utimesSync(join(dir, 'context'), at(daysAgo), at(daysAgo))
  return dir
}

describe('session retention', () => {
  it("keeps Claude Code's cleanupPeriodDays, else its default, and never less than a day", () => {
    expect(keepDaysOf(undefined)).toBe(DEFAULT_KEEP_DAYS)
    expect(keepDaysOf('{"cleanupPeriodDays": 7}')).toBe(7)
    expect(keepDaysOf('{"cleanupPeriodDays": 0}')).toBe(1)
    for (const odd of [
      '{"cleanupPeriodDays": "7"}',
      '{"cleanupPeriodDays": -3}',
      '{"cleanupPeriodDays": 2.5}',
      '{',
      'null',
    ])
      expect(keepDaysOf(odd)).toBe(DEFAULT_KEEP_DAYS)
  })

  it('removes the sessions idle past the period, secrets and their value files with them, and keeps the rest', async () => {
    const data = testdir()
    const old = session(data, 'old-session', 40)
    const recent = session(data, 'recent-session', 3)
    const touched = session(data, 'slot-replaced-lately', 40, 1) // a slot replaced in place is activity
    mkdirSync(join(data, 'processes'))
    writeFileSync(join(data, 'processes', '4242'), 'old-session')
    utimesSync(join(data, 'processes', '4242'), (NOW - 40 * DAY) / 1000, (NOW - 40 * DAY) / 1000)
    const removed = await pruneSessions(data, 30, NOW)
    expect(removed.sort()).toEqual([join(data, 'processes', '4242'), old].sort())
    expect(existsSync(old)).toBe(false)
    expect(existsSync(recent)).toBe(true)
    expect(existsSync(touched)).toBe(true)
  })

  it('removes a link planted in the sessions folder, never what it leads to', async () => {
    const data = testdir()
    const elsewhere = testdir({ 'precious.txt': 'keep me' })
    mkdirSync(join(data, 'sessions'), { recursive: true })
    symlinkSync(elsewhere, join(data, 'sessions', 'planted'))
    utimesSync(elsewhere, (NOW - 90 * DAY) / 1000, (NOW - 90 * DAY) / 1000)
    await pruneSessions(data, 30, NOW + 365 * DAY)
    expect(existsSync(join(elsewhere, 'precious.txt'))).toBe(true)
  })

  it('prunes at most once a day', async () => {
    const data = testdir()
    session(data, 'first', 40)
    expect(await pruneSessionsDaily(data, 30, NOW)).toHaveLength(1)
    const second = session(data, 'second', 40)
    expect(await pruneSessionsDaily(data, 30, NOW + DAY / 2)).toEqual([])
    expect(existsSync(second)).toBe(true)
    expect(await pruneSessionsDaily(data, 30, NOW + DAY + 1)).toEqual([second])
  })

  it("reads the period from the user's settings under CLAUDE_CONFIG_DIR, and the data folder Switchboard uses", async () => {
    const home = testdir({ 'config/settings.json': '{"cleanupPeriodDays": 2}' })
    const data = join(home, 'data')
    const idle = session(data, 'idle-three-days', 3, 3, Date.now()) // pruned against the clock
    session(data, 'idle-one-day', 1, 1, Date.now())
    const env = { HOME: home, CLAUDE_CONFIG_DIR: join(home, 'config'), SWITCHBOARD_DATA_DIR: data }
    expect(await pruneOwnDataDaily(env, home)).toEqual([idle])
  })
})
