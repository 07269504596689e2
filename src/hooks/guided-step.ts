/**
 * The settings hooks' part in a guided workflow run (workflow/guided.ts): PreToolUse admits only the
 * calls run_workflow handed out and swaps in each one's planned input; PostToolUse stores the step's
 * outcome for the next run_workflow call to settle. Both under the session lock.
 */
import { findComponent, readReturn } from '../guard/index.ts'
import type { RegistrySnapshot } from '../registry/snapshot.ts'
import { contractProblems } from '../manifest/validate-contract.ts'
import { putSlot } from '../context/index.ts'
import { expectedOfToolUse, matchGuided } from '../workflow/guided.ts'
import type { ExpectedCall, GuidedMatch, GuidedRuns } from '../workflow/guided.ts'
import { readGuidedRuns, writeGuidedRuns } from '../workflow/guided-file.ts'
import type { CallOutcome } from '../workflow/core.ts'

/** PreToolUse, with the session lock held: what this call is to the guided runs, and the file to update once decided. */
export function guidedCall(
  sessionDir: string,
  tool: string,
  toolInput: Record<string, unknown>,
): { match: GuidedMatch; runs: GuidedRuns } | undefined {
  const runs = readGuidedRuns(sessionDir)
  const match = matchGuided(runs, tool === 'Skill' ? 'Skill' : 'Agent', toolInput)
  return match ? { match, runs } : undefined
}

/** PreToolUse: the call was decided. A denied step's outcome is known at once. */
export function markGuidedCall(
  sessionDir: string,
  runs: GuidedRuns,
  match: GuidedMatch,
  toolUseId: string,
  denial: string | undefined,
): void {
  if (match.role === 'refused') return
  const expected = runs.expected[match.token]!
  if (match.role === 'helper') expected.helper = toolUseId
  else expected.made = toolUseId
  if (denial !== undefined && match.role === 'call')
    expected.outcome = { status: 'denied', problems: [denial], message: denial, invocation: toolUseId }
  if (denial !== undefined && match.role === 'helper')
    expected.outcome = {
      status: 'denied',
      problems: [denial],
      message: `the helper agent for ${expected.target} was refused: ${denial}`,
    }
  writeGuidedRuns(sessionDir, runs)
}

/**
 * PostToolUse (and its Failure): the end of a step's call, or of a command or skill step's helper,
 * becomes the step's outcome; an agent step's return was already read and stored (`reading`).
 * Returns false when the call is no guided step's.
 */
export function recordGuidedOutcome(
  sessionDir: string,
  toolUseId: string,
  end: { failed: string } | { text: string; reading?: Reading },
  snapshot: RegistrySnapshot | undefined,
  turns?: number,
): boolean {
  const runs = readGuidedRuns(sessionDir)
  const found = expectedOfToolUse(runs, toolUseId)
  if (!found) return false
  const { expected } = found
  // A command or skill step ends with its helper; its Skill call only ends it when it failed (refused, say).
  if (found.as === 'call' && expected.kind !== 'agent' && !('failed' in end)) return true
  if (!expected.outcome)
    expected.outcome = { ...outcomeOf(sessionDir, expected, found.as, end, snapshot), ...(turns ? { turns } : {}) }
  writeGuidedRuns(sessionDir, runs)
  return true
}

export type Reading = Pick<ReturnType<typeof readReturn>, 'value' | 'problems' | 'problem'>

// --- internal ---

function outcomeOf(
  sessionDir: string,
  expected: ExpectedCall,
  as: 'call' | 'helper',
  end: { failed: string } | { text: string; reading?: Reading },
  snapshot: RegistrySnapshot | undefined,
): CallOutcome {
  const invocation = expected.made ?? null
  if ('failed' in end)
    return {
      status: 'failed',
      problems: [end.failed],
      message: `the call to ${expected.target} failed: ${end.failed}`,
      invocation,
    }
  if (as === 'helper' && !expected.made)
    return {
      status: 'failed',
      problems: [`the helper agent did not make the Skill call to ${expected.target}`],
      message: `the helper agent did not run ${expected.target}; its answer was not used.`,
    }
  let reading = end.reading
  if (as === 'helper') {
    // The helper's answer is the command's result: read against the command's contract, stored where the step says.
    const component = snapshot ? findComponent(snapshot, expected.target) : undefined
    const read = readReturn(
      { id: expected.made!, target: expected.target, into: intoOf(expected) },
      end.text,
      component,
      contractProblems,
    )
    if (read.slot) putSlot(sessionDir, read.slot)
    reading = read
  }
  if (!reading) return { status: 'ok', value: end.text, invocation }
  if (reading.problems.length > 0)
    return {
      status: 'failed',
      problems: reading.problems,
      message: reading.problem ?? `${expected.target} answered, but not as its output contract says.`,
      invocation,
    }
  return { status: 'ok', value: reading.value, invocation }
}

function intoOf(expected: ExpectedCall): string | null {
  return expected.into ?? null
}
