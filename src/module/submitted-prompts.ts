/**
 * Prompts a plugin's hooks-module code submits (`$.prompt.submit`): Claude Code runs each as a main-thread
 * turn of its own, and with `asUser` the model reads it bare, as the person's words. Its calls were judged as
 * the person's: another plugin's code, whose own `$.agent.spawn` of a private agent is refused, had the main
 * thread call it instead (found by review, 2.1.332). Now such a turn is that code's, `<plugin>:(hooks module)`.
 *
 * `prompt.submit` names the origin (`{ kind: "plugin", name }`) but comes before the turn, and a plugin's
 * prompt waits for the session to be idle; `turn.start` has no origin. So a submission is kept until a main
 * turn starts with its text (the text is in the turn's, framed or bare), and that turn is the plugin's. A
 * turn with no text (a continuation) stays whose the turn before was. A submission whose text no turn
 * shows (rewritten on the way) is never matched: every main turn is then judged as the oldest such
 * plugin's, which refuses the person's cross-plugin calls that plugin may not make, but never lets that
 * plugin's prompt pass as the person's.
 */
import type { SessionState } from './session-state.ts'
import { moduleCaller } from './callers.ts'

/** What `prompt.submit` tells of where a prompt came from (a closed set; Claude Code sets it). */
export interface SubmitOrigin {
  kind: string
  name?: string
}

/** `prompt.submit`: a prompt from another plugin's code is kept until its turn starts; the kept entry. */
export function promptSubmitted(
  s: Pick<SessionState, 'plugin' | 'submitted'>,
  text: string,
  origin: SubmitOrigin | undefined,
): Submission | undefined {
  if (origin?.kind !== 'plugin' || !origin.name || origin.name === s.plugin) return undefined
  const submission = { text, caller: moduleCaller(origin.name) }
  s.submitted.push(submission)
  return submission
}

/** A submission that did not enter (a hook's or the engine's `drop`): no turn will show it. */
export function promptDropped(s: Pick<SessionState, 'submitted'>, submission: Submission): void {
  const index = s.submitted.indexOf(submission)
  if (index >= 0) s.submitted.splice(index, 1)
}

type Submission = SessionState['submitted'][number]

/** `turn.start` on the main loop: whose turn it is. */
export function mainTurnStarted(s: Pick<SessionState, 'submitted' | 'mainTurn'>, text: string): void {
  if (text === '') return // a continuation: whose the turn before was
  const index = s.submitted.findIndex((submission) => submission.text !== '' && text.includes(submission.text))
  if (index >= 0) {
    s.mainTurn = s.submitted[index]!.caller
    s.submitted.splice(index, 1)
    return
  }
  s.mainTurn = s.submitted[0]?.caller // one no turn has shown yet: not the person's either
}
