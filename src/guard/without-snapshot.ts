/**
 * A call the session has no registry snapshot to check (its SessionStart did not run, failed, or was
 * stopped by a hostile plugin), decided alike by both runtimes and for every kind of call (agents,
 * skills, commands, messages): refused where the policy cannot be read (as every call then is) or says
 * strict, when it goes to a plugin's component; else it goes on unchecked and untraced, and its caller
 * and the person are told so. Undefined: not a plugin's component (a built-in or the user's own), which
 * is never checked.
 */
import { inert } from '../common/core.ts'
import { policyProblem } from './decide.ts'
import { denyRuleProblem } from './policy-rules.ts'
import type { Policy } from './policy-rules.ts'
import { pluginPart } from './resolve-target.ts'

/** Reasons and notes in full, `Switchboard` first: each runtime passes them on as they are. */
export function withoutSnapshotVerdict(
  policy: Policy,
  target: string,
): { deny: string } | { unchecked: string } | undefined {
  const problem = policyProblem(policy)
  if (problem) return { deny: `Switchboard: ${problem}` }
  if (!pluginPart(target)) return undefined
  // A deny rule always wins; with no snapshot the caller's component is unknown, so a rule for any caller applies.
  const denied = denyRuleProblem(policy, undefined, target)
  if (denied) return { deny: `Switchboard: ${inert(denied)}` }
  // The target is the caller's text (a model's subagent_type): one inert line, so it cannot add lines of its own.
  const cannot = `Switchboard has no usable registry snapshot for this session (its SessionStart hook did not finish; \`switchboard doctor\` says why), so it cannot check this call to ${inert(target)}.`
  const sync = 'Run `switchboard sync` and start a new session.'
  return policy.strict
    ? { deny: `${cannot} Strict mode refuses calls it cannot check. ${sync}` }
    : { unchecked: `${cannot} It is neither checked nor traced. ${sync}` }
}
