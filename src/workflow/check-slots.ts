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
function slotReads(step: WorkflowStep): Array<{ slot: string; path: string }> {
  const reads: Array<{ slot: string; path: string }> = []
  const fromCall = (call: Call, prefix: string): void => {
    if (call.prompt !== undefined)
      for (const r of workflowReferences(call.prompt))
        if (r.kind === 'slot') reads.push({ slot: r.name, path: `${prefix}.prompt` })
    for (const [key, value] of Object.entries(call.args)) {
      if (typeof value !== 'string') continue
      for (const r of workflowReferences(value))
        if (r.kind === 'slot') reads.push({ slot: r.name, path: `${prefix}.args.${key}` })
    }
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
  /** Slots written by the waves done so far: by which step, and whether surely. */
  const written = new Map<string, { step: string; sure: boolean }>()
  for (const wave of workflow.waves) {
    for (const step of wave.steps) {
      for (const { slot, path } of slotReads(step)) {
        const earlier = written.get(slot)
        // A sibling writing the slot races with this read, whether or not an earlier wave wrote it: the
        // step would read the old value or the new one, and a rerun's receipt would keep the old.
        const sibling = wave.steps.find((s) => s !== step && s.into === slot)
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
          const omissible =
            key !== undefined && soleReference(String(step.args[key]))?.kind === 'slot' && optionalArg(step, key)
          // A condition reads an unset slot safely (conditions.ts); one that holds only for a set slot
          // guards the step's arguments, and what that slot's writer needed set (setWhenRunning).
          const guarded = omissible || path.endsWith('.when.slot') || setWhenRunning(step, steps).has(slot)
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
        const later = steps.find((s) => s.into === slot)
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
              `no step writes $${slot}${nearSlot(slot, steps)}. Add on_complete: { inject_into: ${slot} } to the step that produces it, declare an input and write $inputs.${slot}, or write $$${slot} for the literal text.`,
              path,
            ),
          )
      }
    }
    const writers = new Map<string, string>()
    for (const step of wave.steps) {
      if (step.into === undefined) continue
      const other = writers.get(step.into)
      if (other)
        problems.push(
          error(
            'WORKFLOW_SLOT_RACE',
            file,
            `steps "${other}" and "${step.id}" of parallel group "${wave.id}" both write $${step.into}; they run at once, so which value stays is chance. Give each its own slot.`,
            `${pathOf(step)}.on_complete.inject_into`,
          ),
        )
      writers.set(step.into, step.id)
      const sure = step.when.length === 0 && step.onError.then === 'stop'
      const before = written.get(step.into)
      written.set(step.into, { step: step.id, sure: sure || (before?.sure ?? false) })
    }
  }
  for (const [name, reference] of Object.entries(workflow.outputs)) {
    for (const r of workflowReferences(reference)) {
      if (r.kind === 'slot' && !steps.some((s) => s.into === r.name))
        problems.push(
          error(
            'WORKFLOW_SLOT_NEVER_WRITTEN',
            file,
            `output "${name}" is $${r.name}, which no step writes${nearSlot(r.name, steps)}. Name a slot a step writes (on_complete.inject_into).`,
            `outputs.${name}`,
          ),
        )
    }
  }
  return problems
}

/**
 * The slots surely set whenever `step` runs: those its conditions test in a way only a set slot
 * passes (exists: true, equals, matches), and, for each, what its one writer's conditions needed set
 * (a slot is set only once its writer ran). `review_2` set means the step writing it ran, which it
 * does only when `revision_1` exists: so `$revision_1` is set for a step guarded by `review_2`.
 */
function setWhenRunning(step: WorkflowStep, steps: readonly WorkflowStep[]): Set<string> {
  const tested = (s: WorkflowStep) =>
    s.when
      .filter((c) => c.slot !== undefined && (c.exists === true || c.equals !== undefined || c.matches !== undefined))
      .map((c) => c.slot!)
  const set = new Set<string>()
  const pending = tested(step)
  for (let slot = pending.pop(); slot !== undefined; slot = pending.pop()) {
    if (set.has(slot)) continue
    set.add(slot)
    const writers = steps.filter((s) => s.into === slot)
    if (writers.length === 1) pending.push(...tested(writers[0]!))
  }
  return set
}

/** ` (did you mean $draft_text, which step "draft" writes?)` for a slot name one typo away from one a step writes. */
function nearSlot(slot: string, steps: ReadonlyArray<{ id: string; into?: string }>): string {
  const written = steps.filter((s) => s.into !== undefined)
  const near = nearest(
    slot,
    written.map((s) => s.into!),
  )
  const by = written.find((s) => s.into === near)
  return near && by ? ` (did you mean $${near}, which step "${by.id}" writes?)` : ''
}
