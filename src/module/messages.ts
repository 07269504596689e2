/**
 * SendMessage between agents (`session.send`), checked like a call. In 2.1.33x the model addresses an
 * agent of its session by name or id (`Agent({ name })`), and:
 *
 * - a finished agent is resumed with the message: Claude Code raises `agent.spawn` with `resume`,
 *   the sender's loop as `parentAgentId` and the SendMessage call's id, so that spawn is decided,
 *   traced and reported as a call from the sender (register.ts), and nothing is decided here;
 * - a running agent gets the message in its inbox and acts on it at its next tool round: work asked
 *   of another plugin's component with no spawn. That is decided here, as a call from the sender to
 *   the recipient's component, by the same rules (policy rules, the target plugin's callers rules,
 *   private components, version ranges), and traced as a `message`. Cycles, depth and budgets are
 *   not applied: the recipient already runs in some chain, and a message back up one's own chain
 *   (a report to the agent that called it) is how agents talk, not a loop.
 *
 * Messages between loops of one plugin, to the main conversation and to other sessions are not
 * cross-plugin calls and pass. Context references (`$slot`) are not expanded in messages.
 */
import { decideCall, withoutSnapshotVerdict } from '../guard/core.ts'
import type { AgentInfo, Engine, SessionSendEvent, SessionSendResult } from './mod-api.ts'
import { recordDenial } from './call-handling.ts'
import { callerOf, componentAbove } from './callers.ts'
import { placeListedLoop } from './loops.ts'
import { decisionInputs } from './session-state.ts'
import type { SessionState } from './session-state.ts'

/** `session.send`: a message to another plugin's running agent is allowed, or refused with the guard's reason. */
export async function messageSent(
  $: Engine,
  s: SessionState,
  e: SessionSendEvent,
  next: (e: SessionSendEvent) => Promise<SessionSendResult>,
): Promise<SessionSendResult> {
  const rows = await $.agent.list()
  // The recipient may be a loop the module has not placed yet (a forked skill's): its work is judged as its call's.
  const recipient = liveRecipient(rows, e.to)
  if (recipient) await placeListedLoop(s, recipient.id, rows)
  const decided = await s.exclusive(() => decideMessage(s, e, recipient))
  if (decided.deny) return { isDelivered: false, reason: decided.deny }
  const result = await next(e)
  if (decided.id) {
    const delivered = result.isDelivered === true
    s.appendBehind({
      e: 'end',
      id: decided.id,
      status: delivered ? 'ok' : 'failed',
      ts: Date.now(),
      ...(delivered
        ? {}
        : { reason: `not delivered: ${result.isDelivered === false ? result.reason : 'no reason given'}` }),
    })
  }
  return result
}

/**
 * The running agent a SendMessage recipient names, as the tool resolves it: an id, or a name (the latest
 * agent holding it wins), each exactly or as Claude Code folds them (2.1.332: NFKC, control and format
 * characters dropped, trimmed, lower case, spaces as "-"). A name matched only exactly let "Page-Writer"
 * reach the agent named page-writer unchecked (found by review).
 */
export function liveRecipient(rows: readonly AgentInfo[], to: string): AgentInfo | undefined {
  const address = to.trim().replace(/ \[[0-9A-Za-z]+\]$/, '') // "worker [3fa9c1]": a name and the ref a listing showed
  const folded = foldName(address)
  const byId =
    rows.find((row) => row.id === address) ?? rows.find((row) => row.id !== undefined && foldName(row.id) === folded)
  const exact = rows.filter((row) => row.name === address)
  const named = byId
    ? [byId]
    : exact.length > 0
      ? exact
      : rows.filter((row) => row.name !== undefined && foldName(row.name) === folded)
  const recipient = named.sort((a, b) => (a.startTime ?? 0) - (b.startTime ?? 0)).at(-1)
  return recipient && !['completed', 'failed', 'killed'].includes(recipient.status) ? recipient : undefined
}

/** A name as SendMessage compares it. */
function foldName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
}

// --- internal ---

async function decideMessage(
  s: SessionState,
  e: SessionSendEvent,
  recipient: AgentInfo | undefined,
): Promise<{ deny?: string; id?: string }> {
  if (!s.snapshot) {
    // No snapshot to tell whose agent it is beyond its type: refused only where strict mode (or a policy
    // that cannot be read) refuses what it cannot check, as agent, skill and command calls are.
    const verdict = recipient && withoutSnapshotVerdict((await decisionInputs(s)).policy, recipient.type)
    return verdict && 'deny' in verdict ? verdict : {}
  }
  // The recipient's work is done for the nearest plugin component running it or above it.
  const target = recipient ? componentAbove(s, recipient.id) : null
  const seen = recipient ? s.agents.get(recipient.id) : undefined
  // Not an agent of this session, or a finished one (its resume is a spawn): nothing to decide here.
  if (!target && !seen) return {}
  const origin = e.origin.kind === 'plugin' ? e.origin.name : undefined
  if (!target) {
    // A loop whose work is the person's (a built-in agent the person started): a plugin's code or component
    // that tells it what to do makes its work that plugin's from now on, or its calls would pass as the
    // person's (found by review). The person's own messages change nothing. Nothing is decided, so no chain.
    const sender = callerOf(s, e.agentId, new Map(), origin).type
    if (sender && seen) seen.worksFor = sender
    return {}
  }
  const { policy, invocations } = await decisionInputs(s)
  const caller = callerOf(s, e.agentId, invocations, origin)
  if (caller.type && caller.type.split(':')[0] === target.split(':')[0]) return {}
  const kind = seen?.invocation && invocations.get(seen.invocation)?.kind === 'skill' ? 'skill' : 'agent'
  // No chain: only the rules about who may ask whom apply (see above).
  const verdict = decideCall(
    { callerType: caller.type, callerInvocation: null, target, kind },
    s.snapshot,
    policy,
    invocations,
  )
  if (verdict.allow && !verdict.track) return {}
  const id = `message#${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
  const base = {
    e: 'call' as const,
    id,
    parent: caller.invocation?.id ?? null,
    caller: caller.type ?? 'main',
    callerAgent: e.agentId ?? null,
    target: verdict.target,
    kind: 'message' as const,
    ts: Date.now(),
  }
  if (!verdict.allow) {
    await recordDenial(s, { ...base, status: 'denied', reason: verdict.reason })
    return { deny: `Switchboard: ${verdict.reason}` }
  }
  await s.append({ ...base, status: 'running' })
  return { id }
}
