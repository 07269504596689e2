/**
 * Slots are read only after a step that writes them: in an earlier wave, not a sibling of the same
 * parallel group (they run at once), not a later step. A slot written by a step that may be skipped
 * (`when`) or may fail and let the workflow go on (`on_error: continue`) may be unset when read: a
 * warning, unless the reader itself runs only `when: { slot, exists: true }`.
 */
import { error, nearest, warning } from '../common/core.ts'
import type { Diagnostic } from '../common/core.ts'
import { looksLikeShellVariable } from '../context/core.ts'
import { allSteps } from './model.ts'
import type { Call, Workflow, WorkflowStep } from './model.ts'
import { pathOf } from './model.ts'
import { soleReference, workflowReferences } from './references.ts'

/** Where each slot a step reads appears: `args.<key>`, `prompt`, `when`, and the fallback's. */
function slotReads(step: WorkflowStep): Array<{ slot: string; path: string; field?: string }> {
  const reads: Array<{ slot: string; path: string; field?: string }> = []
  const fromText = (text: string, path: string): void => {
    for (const r of workflowReferences(text)) {
      if (r.kind !== 'slot') continue
      // `$inptus.note`: what follows, for a suggestion of the input it may have meant (see slotSuggestions).
      const field = FIELD_AFTER.exec(text.slice(r.end))?.[1]
      reads.push(field === undefined ? { slot: r.name, path } : { slot: r.name, path, field })
    }
  }
  const fromCall = (call: Call, prefix: string): void => {
    if (call.prompt !== undefined) fromText(call.prompt, `${prefix}.prompt`)
    for (const [key, value] of Object.entries(call.args))
      if (typeof value === 'string') fromText(value, `${prefix}.args.${key}`)
  }
  fromCall(step, `${pathOf(step)}.invoke`)
  if (step.onError.fallback) fromCall(step.onError.fallback, `${pathOf(step)}.on_error.fallback`)
  for (const condition of step.when)
    if (condition.slot !== undefined) reads.push({ slot: condition.slot, path: `${pathOf(step)}.when.slot` })
  return reads
}

/**
 * `optionalArg(step, key)`: whether the step's target may go without argument `key` (its input
 * contract makes it optional). An argument that is exactly one unset `$slot` is left out of the call
 * (plan.ts fillCall), so reading a slot that may be unset there is fine.
 */
export function checkSlots(
  workflow: Workflow,
  optionalArg: (step: WorkflowStep, key: string) => boolean = () => false,
): Diagnostic[] {
  const problems: Diagnostic[] = []
  const file = workflow.file
  const steps = allSteps(workflow)
  // Each question below is a lookup, never a walk over the steps: a workflow is text others wrote (a
  // plugin's, a model's drive_workflow), checked where the guard answers its hooks (docs/security.md).
  const writers = writersBySlot(steps)
  const setWhen = setWhenRunning(writers)
  const suggest = slotSuggestions(steps, Object.keys(workflow.inputs))
  /** Slots written by the waves done so far: by which step, and whether surely. */
  const written = new Map<string, { step: string; sure: boolean }>()
  // Each argument's sole reference, worked out once: an argument of thousands of references was parsed again for
  // each of them, minutes for one a hostile workflow can hold (found by review).
  const soleOf = new Map<string, ReturnType<typeof soleReference>>()
  const soleArgument = (step: WorkflowStep, key: string) => {
    const id = `${step.id}\0${key}`
    if (!soleOf.has(id)) soleOf.set(id, soleReference(String(step.args[key])))
    return soleOf.get(id)
  }
  for (const wave of workflow.waves) {
    const waveWriters = writersBySlot(wave.steps)
    for (const step of wave.steps) {
      for (const { slot, path, field } of slotReads(step)) {
        const earlier = written.get(slot)
        // A sibling writing the slot races with this read, whether or not an earlier wave wrote it: the
        // step would read the old value or the new one, and a rerun's receipt would keep the old.
        const sibling = waveWriters.get(slot)?.find((s) => s !== step)
        if (sibling) {
          problems.push(
            error(
              'WORKFLOW_SLOT_RACE',
              file,
              earlier
                ? `$${slot} is written again by step "${sibling.id}" of the same parallel group "${wave.id}", which runs at the same time, so this step may read the value before or after it. Move this step after the group, or have "${sibling.id}" write another slot.`
                : `$${slot} is written by step "${sibling.id}" of the same parallel group "${wave.id}", which runs at the same time, so it is not there yet. Move this step after the group.`,
              path,
            ),
          )
          continue
        }
        if (earlier) {
          const key = /\.invoke\.args\.([^.]+)$/.exec(path)?.[1]
          const omissible = key !== undefined && soleArgument(step, key)?.kind === 'slot' && optionalArg(step, key)
          // A condition reads an unset slot safely (conditions.ts); one that holds only for a set slot
          // guards the step's arguments, and what that slot's writer needed set (setWhenRunning).
          const guarded = earlier.sure || omissible || path.endsWith('.when.slot') || setWhen(step).has(slot)
          const fix =
            step.when.length === 0
              ? `Add when: { slot: ${slot}, exists: true } to this step`
              : `Make this step's when test $${slot} itself (exists: true, equals or matches)`
          if (!earlier.sure && !guarded)
            problems.push(
              warning(
                'WORKFLOW_SLOT_MAYBE_UNSET',
                file,
                `$${slot} may be unset here: step "${earlier.step}", which writes it, may be skipped or fail without stopping the workflow. ${fix}, make that step stop the workflow on error, or pass it to an input its contract makes optional (the argument is then left out).`,
                path,
              ),
            )
          continue
        }
        const later = writers.get(slot)?.[0]
        if (later)
          problems.push(
            error(
              'WORKFLOW_SLOT_READ_BEFORE_WRITE',
              file,
              `$${slot} is read before step "${later.id}" writes it (that step runs later). Move this step after "${later.id}", or pass the value as an input ($inputs.<name>).`,
              path,
            ),
          )
        else if (!looksLikeShellVariable(slot))
          problems.push(
            error(
              'WORKFLOW_SLOT_NEVER_WRITTEN',
              file,
              `no step writes $${slot}${suggest(slot, field)}. Add on_complete: { inject_into: ${slot} } to the step that produces it, declare an input and write $inputs.${slot}, or write $$${slot} for the literal text.`,
              path,
            ),
          )
      }
    }
    const firstWriter = new Map<string, string>()
    for (const step of wave.steps) {
      if (step.into === undefined) continue
      const other = firstWriter.get(step.into)
      if (other)
        problems.push(
          error(
            'WORKFLOW_SLOT_RACE',
            file,
            `steps "${other}" and "${step.id}" of parallel group "${wave.id}" both write $${step.into}; they run at once, so which value stays is chance. Give each its own slot.`,
            `${pathOf(step)}.on_complete.inject_into`,
          ),
        )
      firstWriter.set(step.into, step.id)
      const sure = step.when.length === 0 && step.onError.then === 'stop'
      const before = written.get(step.into)
      written.set(step.into, { step: step.id, sure: sure || (before?.sure ?? false) })
    }
  }
  for (const [name, reference] of Object.entries(workflow.outputs)) {
    for (const r of workflowReferences(reference)) {
      if (r.kind === 'slot' && !writers.has(r.name))
        problems.push(
          error(
            'WORKFLOW_SLOT_NEVER_WRITTEN',
            file,
            `output "${name}" is $${r.name}, which no step writes${suggest(r.name)}. Name a slot a step writes (on_complete.inject_into).`,
            `outputs.${name}`,
          ),
        )
    }
  }
  return problems
}

/** The steps that write each slot, in the order given. */
function writersBySlot(steps: readonly WorkflowStep[]): Map<string, WorkflowStep[]> {
  const writers = new Map<string, WorkflowStep[]>()
  for (const step of steps)
    if (step.into !== undefined) writers.set(step.into, [...(writers.get(step.into) ?? []), step])
  return writers
}

/**
 * The slots surely set whenever a step runs: those its conditions test in a way only a set slot
 * passes (exists: true, equals, matches), and, for each, what its one writer's conditions needed set
 * (a slot is set only once its writer ran). `review_2` set means the step writing it ran, which it
 * does only when `revision_1` exists: so `$revision_1` is set for a step guarded by `review_2`.
 * Worked out once per step, when first asked.
 */
function setWhenRunning(writers: ReadonlyMap<string, readonly WorkflowStep[]>): (step: WorkflowStep) => Set<string> {
  const known = new Map<WorkflowStep, Set<string>>()
  const tested = (s: WorkflowStep) =>
    s.when
      .filter((c) => c.slot !== undefined && (c.exists === true || c.equals !== undefined || c.matches !== undefined))
      .map((c) => c.slot!)
  return (step) => {
    const cached = known.get(step)
    if (cached) return cached
    const set = new Set<string>()
    const pending = tested(step)
    for (let slot = pending.pop(); slot !== undefined; slot = pending.pop()) {
      if (set.has(slot)) continue
      set.add(slot)
      const only = writers.get(slot)
      if (only?.length === 1) pending.push(...tested(only[0]!))
    }
    known.set(step, set)
    return set
  }
}

/**
 * ` (did you mean $draft_text, which step "draft" writes?)` for a slot name one typo away from one a step
 * writes. Each name is looked up once, and only the first few: each lookup measures every written name.
 */
function slotSuggestions(
  steps: ReadonlyArray<{ id: string; into?: string }>,
  inputs: readonly string[],
): (slot: string, field?: string) => string {
  const written = steps.filter((s) => s.into !== undefined)
  const names = [...new Set(written.map((s) => s.into!))]
  const said = new Map<string, string>()
  return (slot, field) => {
    // `$inptus.note` read as a slot named inptus: the input it was meant to name (found by a newcomer).
    if (field !== undefined && slot !== 'inputs' && nearest(slot, ['inputs']) === 'inputs')
      return inputs.includes(field) ? ` (did you mean $inputs.${field}?)` : ''
    const known = said.get(slot)
    if (known !== undefined || said.size >= MAX_SUGGESTIONS) return known ?? ''
    const near = nearest(slot, names)
    const by = written.find((s) => s.into === near)
    const text = near && by ? ` (did you mean $${near}, which step "${by.id}" writes?)` : ''
    said.set(slot, text)
    return text
  }
}

const MAX_SUGGESTIONS = 20

/** The `.name` right after a reference, as `$inputs.<name>` has it. */
const FIELD_AFTER = /^\.([A-Za-z_][A-Za-z0-9_]*)/
