/**
 * Slash commands as the person types them (`/tdd-editor:copy-edit $draft`, or `claude -p "/…"`), and as
 * a plugin's code runs them (`$.command.run`): `command.run`. A plugin's command or skill run this way
 * is a call from the main thread (the person) or from that plugin's code, checked, given its context
 * and traced like the same call made with the Skill tool. The Skill tool raises no `command.run`
 * (observed on 2.1.332 and 2.1.331), so no call is decided or recorded twice.
 *
 * A command that runs inline expands to text the main thread reads: its call ends there. One with
 * `context: fork` runs as a loop of its own while `next` waits, linked to this call when it first calls
 * or reports (loops.ts).
 */
import { foldInvocations } from '../trace/core.ts'
import type { CommandRunEvent, CommandRunResult, Next } from './mod-api.ts'
import { withoutSnapshotVerdict } from '../guard/core.ts'
import type { DecideCallHere } from './call-handling.ts'
import { decisionInputs } from './session-state.ts'
import type { SessionState } from './session-state.ts'

/** `command.run`: a plugin's command or skill is decided; a refused one does not run, and its output says why. */
export async function commandRun(
  s: SessionState,
  e: CommandRunEvent,
  next: Next<CommandRunEvent, CommandRunResult>,
  decide: DecideCallHere,
): Promise<CommandRunResult> {
  const decided = await s.exclusive(() => decideCommand(s, e, next.origin?.plugin, decide))
  if ('deny' in decided) return { text: decided.deny }
  const result = await next(decided.event)
  if (decided.id && foldInvocations(s.ownRecords()).get(decided.id)?.status === 'running') {
    s.appendBehind({ e: 'end', id: decided.id, status: 'ok', ts: Date.now(), durationMs: Date.now() - decided.started })
  }
  return result
}

// --- internal ---

type CommandDecision = { deny: string } | { event: CommandRunEvent; id?: string; started: number }

async function decideCommand(
  s: SessionState,
  e: CommandRunEvent,
  origin: string | undefined,
  decide: DecideCallHere,
): Promise<CommandDecision> {
  const started = Date.now()
  if (!s.snapshot) {
    const verdict = withoutSnapshotVerdict((await decisionInputs(s)).policy, e.command)
    return verdict && 'deny' in verdict ? verdict : { event: e, started }
  }
  // Typed by the person (at the terminal, through -p, a bridge): the main thread. Run by a plugin's code: that plugin.
  const by = e.origin.kind === 'plugin' ? (e.origin.name ?? origin) : undefined
  const id = `command#${started.toString(36)}${Math.random().toString(36).slice(2, 6)}`
  const { policy, invocations } = await decisionInputs(s)
  const decided = await decide(s, policy, invocations, {
    id,
    agentId: undefined,
    target: e.command,
    kind: 'skill',
    text: e.args,
    ...(by ? { origin: by } : { typed: true }),
  })
  if ('deny' in decided) return decided
  if (!decided.traced) return { event: e, started }
  return { event: decided.text === undefined ? e : { ...e, args: decided.text }, id, started }
}
