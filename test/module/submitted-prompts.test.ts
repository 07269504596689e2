// Which main turn another plugin's code submitted (module/submitted-prompts.ts): the turn its prompt's row
// starts, and the rest of a turn its row is delivered into, are that plugin's code's, until a later turn.
import { describe, expect, it } from 'vitest'
import { mainTurnNow, pluginRowEntered } from '../../src/module/submitted-prompts.ts'

const session = () => ({
  plugin: 'switchboard',
  mainTurn: undefined as string | undefined,
  mainTurnLast: undefined as number | undefined,
})
/** Claude Code's count of main turns, as `$.session.turns()` answers it (undefined: it fails). */
const counting = (turns: { now: number | undefined }) => ({
  session: { turns: async () => (turns.now === undefined ? Promise.reject(new Error('no session')) : turns.now) },
})

describe('prompts other plugins submit', () => {
  it("makes the turn a plugin's prompt starts that plugin's code's, and the next turn the person's", async () => {
    const s = session()
    const turns = { now: 3 as number | undefined }
    const $ = counting(turns) as never
    pluginRowEntered(s, 'prompt', { kind: 'plugin', name: 'follow-up' }, 3)
    turns.now = 4 // its turn starts
    await mainTurnNow($, s)
    expect(s.mainTurn).toBe('follow-up:(hooks module)')
    turns.now = 5 // the person's next prompt, or a task notification's turn
    await mainTurnNow($, s)
    expect(s.mainTurn).toBeUndefined()
  })

  it("makes the rest of a running turn the plugin's where its text is delivered into it", async () => {
    const s = session()
    const turns = { now: 2 as number | undefined }
    pluginRowEntered(s, 'delivery', { kind: 'plugin', name: 'evil', asUser: true } as never, 2)
    await mainTurnNow(counting(turns) as never, s)
    expect(s.mainTurn).toBe('evil:(hooks module)')
    turns.now = 3
    await mainTurnNow(counting(turns) as never, s)
    expect(s.mainTurn).toBeUndefined()
  })

  it("never hands a plugin's turn back to the person while the count cannot be read", async () => {
    const unknown = session()
    pluginRowEntered(unknown, 'prompt', { kind: 'plugin', name: 'evil' }, undefined)
    await mainTurnNow(counting({ now: 9 }) as never, unknown)
    expect(unknown.mainTurn).toBe('evil:(hooks module)')
    const failing = session()
    pluginRowEntered(failing, 'prompt', { kind: 'plugin', name: 'evil' }, 1)
    await mainTurnNow(counting({ now: undefined }) as never, failing)
    expect(failing.mainTurn).toBe('evil:(hooks module)')
    // A compaction may count fewer turns: still the plugin's.
    await mainTurnNow(counting({ now: 1 }) as never, failing)
    expect(failing.mainTurn).toBe('evil:(hooks module)')
  })

  it("leaves Switchboard's own rows, rows with no plugin name and other origins alone", () => {
    const s = session()
    pluginRowEntered(s, 'prompt', { kind: 'plugin', name: 'switchboard' }, 1)
    pluginRowEntered(s, 'prompt', { kind: 'plugin' }, 1)
    pluginRowEntered(s, 'prompt', { kind: 'composer' }, 1)
    expect(s.mainTurn).toBeUndefined()
  })
})
