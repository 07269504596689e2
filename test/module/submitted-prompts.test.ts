// Which main turn another plugin's code submitted or ran (module/submitted-prompts.ts): the turn a row it caused
// is kept in is that plugin's code's, until Claude Code counts a later main turn.
import { describe, expect, it } from 'vitest'
import { mainCompacted, mainTurnNow, pluginRowEntered } from '../../src/module/submitted-prompts.ts'

const session = () => ({
  plugin: 'switchboard',
  mainTurn: undefined as string | undefined,
  mainTurnLast: undefined as number | undefined,
})
/** Claude Code's count of main turns, as `$.session.turns()` answers it (undefined: it fails). */
const counting = (turns: { now: number | undefined }) =>
  ({
    session: { turns: async () => (turns.now === undefined ? Promise.reject(new Error('no session')) : turns.now) },
  }) as never

describe('prompts and commands other plugins submit', () => {
  it("makes the turn a plugin's row is kept in that plugin's code's, and the next turn the person's", async () => {
    const s = session()
    const turns = { now: 4 as number | undefined }
    pluginRowEntered(s, { kind: 'plugin', name: 'follow-up' }, 4)
    await mainTurnNow(counting(turns), s)
    expect(s.mainTurn).toBe('follow-up:(hooks module)')
    turns.now = 5 // the person's next prompt, or a task notification's turn
    await mainTurnNow(counting(turns), s)
    expect(s.mainTurn).toBeUndefined()
    expect(s.mainTurnLast).toBeUndefined()
  })

  it("never hands a plugin's turn back to the person while the count cannot be read", async () => {
    const unknown = session()
    pluginRowEntered(unknown, { kind: 'plugin', name: 'evil' }, undefined)
    await mainTurnNow(counting({ now: 9 }), unknown)
    expect(unknown.mainTurn).toBe('evil:(hooks module)')
    const failing = session()
    pluginRowEntered(failing, { kind: 'plugin', name: 'evil' }, 2)
    await mainTurnNow(counting({ now: undefined }), failing)
    expect(failing.mainTurn).toBe('evil:(hooks module)')
    // A compaction may count fewer turns: still the plugin's.
    await mainTurnNow(counting({ now: 1 }), failing)
    expect(failing.mainTurn).toBe('evil:(hooks module)')
  })

  it("leaves Switchboard's own rows, rows with no plugin name and other origins alone", () => {
    const s = session()
    pluginRowEntered(s, { kind: 'plugin', name: 'switchboard' }, 1)
    pluginRowEntered(s, { kind: 'plugin' }, 1)
    pluginRowEntered(s, { kind: 'composer' }, 1)
    expect(s.mainTurn).toBeUndefined()
  })
})

describe('a compaction, after which Claude Code counts main turns afresh', () => {
  it("keeps a plugin's turn that compacts the plugin's, and makes the next prompt's turn the person's", async () => {
    const s = session()
    pluginRowEntered(s, { kind: 'plugin', name: 'evil' }, 3)
    mainCompacted(s, 3, 3) // the boundary row
    mainCompacted(s, 0, 0) // the summary row: counted afresh
    await mainTurnNow(counting({ now: 1 }), s) // the compacted turn goes on
    expect(s.mainTurn).toBe('evil:(hooks module)')
    await mainTurnNow(counting({ now: 2 }), s) // the next prompt's turn
    expect(s.mainTurn).toBeUndefined()
  })

  it("ends a plugin's turn that a later turn's compaction follows, and never frees one it cannot count", () => {
    const over = session()
    pluginRowEntered(over, { kind: 'plugin', name: 'evil' }, 3)
    mainCompacted(over, 4, 4)
    expect(over.mainTurn).toBeUndefined()
    const uncounted = session()
    pluginRowEntered(uncounted, { kind: 'plugin', name: 'evil' }, 3)
    mainCompacted(uncounted, 3, undefined)
    expect(uncounted.mainTurn).toBe('evil:(hooks module)')
    expect(uncounted.mainTurnLast).toBeUndefined()
  })
})
