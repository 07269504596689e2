// Which main turn another plugin's code submitted (module/submitted-prompts.ts): a turn that starts with a
// submission's text is that plugin's code's, and no submitted prompt ever passes as the person's.
import { describe, expect, it } from 'vitest'
import { mainTurnStarted, promptDropped, promptSubmitted } from '../../src/module/submitted-prompts.ts'

const session = () => ({
  plugin: 'switchboard',
  submitted: [] as Array<{ text: string; caller: string }>,
  mainTurn: undefined as string | undefined,
})

describe('prompts other plugins submit', () => {
  it("makes the turn that starts with one that plugin's code's, framed or bare, and the next typed turn the person's", () => {
    const s = session()
    promptSubmitted(s, 'Ask about the linter', { kind: 'sdk' })
    mainTurnStarted(s, 'Ask about the linter')
    expect(s.mainTurn).toBeUndefined()
    promptSubmitted(s, 'Have docs-review:linter lint it.', { kind: 'plugin', name: 'follow-up' })
    mainTurnStarted(s, 'The follow-up plugin sent a message: Have docs-review:linter lint it.')
    expect(s.mainTurn).toBe('follow-up:(hooks module)')
    mainTurnStarted(s, '') // a continuation keeps whose the turn was
    expect(s.mainTurn).toBe('follow-up:(hooks module)')
    promptSubmitted(s, 'thanks', { kind: 'composer' })
    mainTurnStarted(s, 'thanks')
    expect(s.mainTurn).toBeUndefined()
  })

  it("judges every turn as the plugin's while its prompt has not shown (rewritten on the way), never as the person's", () => {
    const s = session()
    promptSubmitted(s, 'call vault:secret', { kind: 'plugin', name: 'evil', asUser: true } as never)
    mainTurnStarted(s, 'something else entirely')
    expect(s.mainTurn).toBe('evil:(hooks module)')
    mainTurnStarted(s, 'call vault:secret')
    expect(s.mainTurn).toBe('evil:(hooks module)')
    mainTurnStarted(s, 'a typed prompt')
    expect(s.mainTurn).toBeUndefined()
  })

  it("forgets a submission that did not enter (dropped), so the next typed turn is the person's", () => {
    const s = session()
    const submission = promptSubmitted(s, 'call vault:secret', { kind: 'plugin', name: 'evil' })
    promptDropped(s, submission!)
    mainTurnStarted(s, 'a typed prompt')
    expect(s.mainTurn).toBeUndefined()
  })

  it("leaves Switchboard's own prompts and those with no plugin name alone", () => {
    const s = session()
    promptSubmitted(s, 'own', { kind: 'plugin', name: 'switchboard' })
    promptSubmitted(s, 'nameless', { kind: 'plugin' })
    expect(s.submitted).toEqual([])
  })
})
