/**
 * A step's call with the run's values filled in, the rules written once for the planner and the
 * runner:
 * - `$inputs.name` is replaced by the input's value (references.ts substituteInputs: a value can
 *   never name a slot or change what is quoted);
 * - an argument that is exactly one `$inputs.name` for an optional input with no value, or exactly
 *   one `$slot` that is unset when the step runs (its writer was skipped, or failed and the workflow
 *   went on), is left out of the call, so the target's contract sees it absent, not as text;
 *   embedded in text, an input with no value becomes empty;
 * - `$slot` references stay for the guard, which fills them at call time (secrets, large values).
 */
import type { ArgValue, Call } from './model.ts'
import { soleReference, substituteInputs, workflowReferences } from './references.ts'

export type FilledCall = { ok: true; prompt?: string; args: Record<string, ArgValue> } | { ok: false; reason: string }

/** `isSet(slot)`: whether the slot holds a value now; omit it to keep every `$slot` argument (planning). */
export function fillCall(
  call: Pick<Call, 'prompt' | 'args'>,
  inputs: Readonly<Record<string, string>>,
  isSet: (slot: string) => boolean = () => true,
): FilledCall {
  const fill = (text: string, where: string): { ok: true; text: string } | { ok: false; reason: string } => {
    const missing = Object.fromEntries(
      workflowReferences(text)
        .filter((r) => r.kind === 'input' && inputs[r.name] === undefined)
        .map((r) => [(r as { name: string }).name, '']),
    )
    const filled = substituteInputs(text, { ...missing, ...inputs })
    return filled.ok ? filled : { ok: false, reason: `${where}: ${filled.reason}` }
  }
  const args: Record<string, ArgValue> = {}
  for (const [key, value] of Object.entries(call.args)) {
    if (typeof value !== 'string') {
      args[key] = value
      continue
    }
    const sole = soleReference(value)
    if (sole?.kind === 'input' && inputs[sole.name] === undefined) continue
    if (sole?.kind === 'slot' && !isSet(sole.name)) continue
    const filled = fill(value, `args.${key}`)
    if (!filled.ok) return filled
    args[key] = filled.text
  }
  if (call.prompt === undefined) return { ok: true, args }
  const prompt = fill(call.prompt, 'prompt')
  return prompt.ok ? { ok: true, prompt: prompt.text, args } : prompt
}
