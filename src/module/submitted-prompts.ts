/**
 * Prompts a plugin's hooks-module code submits (`$.prompt.submit`): Claude Code runs each as a main-thread
 * turn of its own, and with `asUser` the model reads it bare, as the person's words. Its calls were judged as
 * the person's: another plugin's code, whose own `$.agent.spawn` of a private agent is refused, had the main
 * thread call it instead (found by review, 2.1.332). Now such a turn is that code's, `<plugin>:(hooks module)`.
 *
 * Claude Code says so itself: the prompt's row (`session.append`, door `prompt`) carries the origin it stamped,
 * `{ kind: 'plugin', name }`, whatever the text became on the way, and a matcher on that origin wakes the
 * module for those rows alone (2.1.332, 2.1.331). A row delivered into a running turn (door `delivery`) makes
 * the rest of that turn the plugin's. The turn ends when the next one starts, told by Claude Code's count of
 * main turns (`$.session.turns()`, a prompt of any origin, a task notification's too), asked only while a
 * plugin's turn may be running. Before, the module matched texts at every loop's `turn.start` and every
 * prompt's `prompt.submit`: two hops to its worker in every session, one more per agent run.
 */
import { moduleCaller } from './callers.ts'
import type { Engine } from './mod-api.ts'
import type { SessionState } from './session-state.ts'

/** Who caused a row (`session.append`'s origin: a closed set, Claude Code's to set). */
export interface RowOrigin {
  kind: string
  name?: string
}

type MainTurn = Pick<SessionState, 'plugin' | 'mainTurn' | 'mainTurnLast'>

/**
 * A main-conversation row another plugin caused entered: `door` `prompt` is a turn of its own (the one after
 * `turnsBefore`, the count when the row came), `delivery` a text delivered into the running turn. Either way
 * the main thread's calls are that plugin's code's until a later turn starts. `turnsBefore` undefined (the
 * count not answered): until another plugin's row says otherwise, never back to the person.
 */
export function pluginRowEntered(s: MainTurn, door: string, origin: RowOrigin, turnsBefore: number | undefined): void {
  if (origin.kind !== 'plugin' || !origin.name || origin.name === s.plugin) return
  s.mainTurn = moduleCaller(origin.name)
  s.mainTurnLast = turnsBefore === undefined ? undefined : door === 'prompt' ? turnsBefore + 1 : turnsBefore
}

/** Before a decision that may read the main turn: a plugin's turn that a later turn followed is over. */
export async function mainTurnNow($: Pick<Engine, 'session'>, s: MainTurn): Promise<void> {
  if (s.mainTurn === undefined || s.mainTurnLast === undefined) return
  const turns = await $.session.turns().catch(() => undefined)
  if (turns !== undefined && turns > s.mainTurnLast) {
    s.mainTurn = undefined
    s.mainTurnLast = undefined
  }
}
