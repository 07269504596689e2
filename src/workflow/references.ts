/**
 * References in a workflow's text: `$slot` as everywhere in Switchboard (context/references.ts: `$$`
 * is a literal `$`, quoted material is data), plus `$inputs.<name>` for the workflow's declared inputs.
 * `inputs` is therefore never a slot name (schema.ts refuses it for `inject_into`).
 */
import { findReferences } from '../context/core.ts'
import { INPUTS } from './model.ts'

export type WorkflowReference =
  | { kind: 'input'; name: string; start: number; end: number }
  | { kind: 'slot'; name: string; start: number; end: number }
  /** `$inputs` with no `.name` after it. */
  | { kind: 'bad'; start: number; end: number; reason: string }

const INPUT_FIELD = /^\.([A-Za-z_][A-Za-z0-9_]*)/

/** Every reference outside quoted material, in order. */
export function workflowReferences(text: string): WorkflowReference[] {
  return findReferences(text).map((reference): WorkflowReference => {
    if (reference.name !== INPUTS)
      return { kind: 'slot', name: reference.name, start: reference.start, end: reference.end }
    const field = INPUT_FIELD.exec(text.slice(reference.end))
    if (!field)
      return {
        kind: 'bad',
        start: reference.start,
        end: reference.end,
        reason:
          '"$inputs" names no input; write $inputs.<name>, e.g. $inputs.article (or $$inputs for the literal text)',
      }
    return { kind: 'input', name: field[1]!, start: reference.start, end: reference.end + field[0].length }
  })
}

/**
 * The text with every `$inputs.<name>` replaced by the input's value, ready for the call's own
 * `$slot` substitution (which the guard makes, with its secret and size rules): `$` in a value is
 * doubled, so a value can never name a slot. A value could still open or close quoted material (a
 * fence, a code span) and so turn the author's quoted `$name` into a reference, or hide one: the
 * slot references before and after must be the same, or the substitution is refused.
 * Inputs not in `values` are left as they are.
 */
export function substituteInputs(
  text: string,
  values: Readonly<Record<string, string>>,
): { ok: true; text: string } | { ok: false; reason: string } {
  const references = workflowReferences(text)
  let result = ''
  let at = 0
  for (const reference of references) {
    if (reference.kind !== 'input' || values[reference.name] === undefined) continue
    result += text.slice(at, reference.start) + values[reference.name]!.replaceAll('$', () => '$$')
    at = reference.end
  }
  result += text.slice(at)
  const slots = (list: WorkflowReference[]): string =>
    list
      .filter((r) => r.kind === 'slot')
      .map((r) => (r as { name: string }).name)
      .join(' ')
  const changed = slots(workflowReferences(result)) !== slots(references)
  return changed
    ? {
        ok: false,
        reason:
          'an input value changes which $slot references the text holds (it opens or closes a code block, a code span or a > quote). Pass such text in a slot, or move the reference out of quoted material.',
      }
    : { ok: true, text: result }
}

/** Whether the whole text is exactly one reference (so its value keeps its type), and which. */
export function soleReference(text: string): WorkflowReference | undefined {
  const references = workflowReferences(text)
  const only = references[0]
  return references.length === 1 && only && only.start === 0 && only.end === text.length ? only : undefined
}
