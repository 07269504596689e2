/**
 * Prompts a plugin's hooks-module code submits (`$.prompt.submit`) and slash commands it runs (`$.command.run`):
 * Claude Code runs each as a main-thread turn of its own, and with `asUser` the model reads a prompt bare, as
 * the person's words. Their calls were judged as the person's: another plugin's code, whose own
 * `$.agent.spawn` of a private agent is refused, had the main thread call it instead (found by review,
 * 2.1.332; a command whose body asks for the call does the same). Now such a turn is that code's,
 * `<plugin>:(hooks module)`.
 *
 * Claude Code says so itself: the turn's rows (`session.append`, door `prompt`, `command`) carry the origin it
 * stamped, `{ kind: 'plugin', name }`, whatever the text became on the way, and a matcher on that origin wakes
 * the module for those rows alone (2.1.332, 2.1.331). A row delivered into a running turn (door `delivery`)
 * makes the rest of that turn the plugin's. Once such a row is kept, Claude Code's count of main turns
 * (`$.session.turns()`) is the number of the turn it belongs to (probed: a submitted prompt, a command's rows,
 * a delivery); the plugin's turn is over when the count passes it (a prompt of any origin, a task
 * notification's turn too), asked only while a plugin's turn may be running; a compaction, after which Claude
 * Code counts afresh, moves that bound (mainCompacted). Before, the module matched texts
 * at every loop's `turn.start` and every prompt's `prompt.submit`: two hops to its worker in every session,
 * one more per agent run, and a command's turn went unseen.
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
 * A main-conversation row another plugin caused was kept, in main turn `turn` (the count once the row is
 * kept): the main thread's calls are that plugin's code's until a later turn starts. `turn` undefined (the
 * count not answered): until another plugin's row says otherwise, never back to the person.
 */
export function pluginRowEntered(s: MainTurn, origin: RowOrigin, turn: number | undefined): void {
  if (origin.kind !== 'plugin' || !origin.name || origin.name === s.plugin) return
  s.mainTurn = moduleCaller(origin.name)
  s.mainTurnLast = turn
}

/**
 * A row of the main conversation's compaction was kept: Claude Code counts main turns afresh after one (2.1.332,
 * 2.1.331: a turn compacted as its third continued as the first, and the next prompt's turn was the second).
 * `before` and `after`: the count when the row came and once it was kept. A plugin's turn that a compaction
 * ends is over; one it runs in goes on as the turn after `after`, so the next prompt's turn is the person's.
 */
export function mainCompacted(s: MainTurn, before: number | undefined, after: number | undefined): void {
  if (s.mainTurn === undefined || s.mainTurnLast === undefined) return
  if (before === undefined || after === undefined) {
    s.mainTurnLast = undefined // not counted: never back to the person
  } else if (before > s.mainTurnLast) {
    endMainTurn(s)
  } else {
    s.mainTurnLast = after + 1
  }
}

/** Before a decision that may read the main turn: a plugin's turn that a later turn followed is over. */
export async function mainTurnNow($: Pick<Engine, 'session'>, s: MainTurn): Promise<void> {
  if (s.mainTurn === undefined || s.mainTurnLast === undefined) return
  const turns = await $.session.turns().catch(() => undefined)
  if (turns !== undefined && turns > s.mainTurnLast) endMainTurn(s)
}

// --- internal ---

/** The main thread's turn is the person's again. */
function endMainTurn(s: MainTurn): void {
  s.mainTurn = undefined
  s.mainTurnLast = undefined
}
