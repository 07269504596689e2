/**
 * The order a session's calls are drawn in, shared by the tree and the sequence diagram so both tell
 * the same story. Pure (no Node).
 *
 * - The tree: each call under its caller's call; siblings in the order they were asked for.
 * - The sequence: each call where it started and each return where it ended, in time order, with
 *   three guarantees the raw timestamps cannot give alone (they are milliseconds, from several
 *   processes and two log files):
 *   1. a call comes after its caller's call;
 *   2. a return comes after every call made under it, and after the return of every call it waited
 *      for (those that ended before it did);
 *   3. a background call, one that ended after its caller or never, keeps its own time: its caller's
 *      return does not wait for it, so its return (and what it called after) may come after its
 *      caller's return, as it happened.
 *   Events of the same moment follow the tree (a caller's call before its calls, their returns before
 *   its return, siblings in order), so parallel calls always come out in one deterministic order.
 */
import type { Invocation } from './invocations.ts'

export interface CallTree {
  /** Calls with no known caller call (made by the main thread, or whose caller is missing from the log). */
  roots: Invocation[]
  children: Map<string, Invocation[]>
}

/** One step of the sequence: a call asked for and refused, a call started, or a call answered. */
export type CallEvent = { kind: 'denied' | 'call' | 'return'; invocation: Invocation }

/** Every invocation under its caller's, siblings in the order they started (log order for a tie). */
export function callTree(invocations: Map<string, Invocation>): CallTree {
  const roots: Invocation[] = []
  const children = new Map<string, Invocation[]>()
  for (const invocation of invocations.values()) {
    const parent = knownParent(invocations, invocation)
    if (parent === null) roots.push(invocation)
    else children.set(parent, [...(children.get(parent) ?? []), invocation])
  }
  const byStart = (a: Invocation, b: Invocation): number => a.start - b.start // Array.sort is stable: log order breaks ties
  roots.sort(byStart)
  for (const list of children.values()) list.sort(byStart)
  return { roots, children }
}

/** The calls and returns of a session in the order the guarantees above give. */
export function callSequence(invocations: Map<string, Invocation>): CallEvent[] {
  const tree = callTree(invocations)
  const timed: Array<CallEvent & { at: number; rank: number }> = []
  // Walks the tree depth first: `rank` is each event's place in a nested reading (the tie-break);
  // `at` its time, moved later where a guarantee needs it. Returns the time of the call's return.
  const visit = (invocation: Invocation, callerAt: number): number => {
    const at = Math.max(invocation.start, callerAt)
    timed.push({ kind: invocation.status === 'denied' ? 'denied' : 'call', invocation, at, rank: timed.length })
    let returnAt = Math.max(at, invocation.end ?? at)
    for (const child of tree.children.get(invocation.id) ?? []) {
      const childReturn = visit(child, at)
      const waited =
        invocation.end !== null && (child.status === 'denied' || (child.end !== null && child.end <= invocation.end))
      returnAt = Math.max(returnAt, waited ? childReturn : Math.max(child.start, at))
    }
    if (invocation.status !== 'denied' && invocation.end !== null)
      timed.push({ kind: 'return', invocation, at: returnAt, rank: timed.length })
    return returnAt
  }
  for (const root of tree.roots) visit(root, -Infinity)
  return timed.sort((a, b) => a.at - b.at || a.rank - b.rank).map(({ kind, invocation }) => ({ kind, invocation }))
}

// --- internal ---

/** The caller's call, when it is in the log and does not lead back to this call (a corrupt log must not hide calls). */
function knownParent(invocations: Map<string, Invocation>, invocation: Invocation): string | null {
  if (invocation.parent === null || !invocations.has(invocation.parent)) return null
  const seen = new Set<string>()
  for (
    let at: string | null = invocation.parent;
    at !== null && !seen.has(at);
    at = invocations.get(at)?.parent ?? null
  ) {
    if (at === invocation.id) return null // a cycle through this call: it starts the tree instead
    seen.add(at)
  }
  return invocation.parent
}
