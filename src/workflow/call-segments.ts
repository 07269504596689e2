/**
 * A call's text as a workflow's author wrote it, split into the author's words and the values a run fills
 * in (inputs, earlier returns), and whether the filled call reads, to the guard, as the author's text
 * does. Used by compile (the script fills values itself, so this is checked before the script is written)
 * and by workflow check (a warning: the planner refuses such a call at run time, with its values).
 */
import { findReferences, looksLikeShellVariable, readDirective } from '../context/core.ts'
import { allSteps, pathOf } from './model.ts'
import type { ArgValue, Call, Workflow, WorkflowStep } from './model.ts'
import { workflowReferences } from './references.ts'

export interface QuotingProblem {
  path: string
  message: string
}

/** The slots a workflow's steps write: a `$HOME` no step writes is text, as workflow check and the run engine read it. */
export function writtenSlots(workflow: Workflow): ReadonlySet<string> {
  return new Set(allSteps(workflow).flatMap((step) => (step.into ? [step.into] : [])))
}

export type Segment = string | { input: string } | { slot: string }

/** Text split into the author's words and the references the script fills (those outside quoted material only). */
export function segmentsOf(text: string, written: ReadonlySet<string>): Segment[] {
  const segments: Segment[] = []
  let at = 0
  for (const reference of workflowReferences(text)) {
    if (reference.kind === 'bad') continue // workflow check refuses these before compile runs
    if (reference.kind === 'slot' && !written.has(reference.name) && looksLikeShellVariable(reference.name)) continue
    if (reference.start > at) segments.push(text.slice(at, reference.start))
    segments.push(reference.kind === 'input' ? { input: reference.name } : { slot: reference.name })
    at = reference.end
  }
  if (at < text.length || segments.length === 0) segments.push(text.slice(at))
  return segments
}

export function argSegments(value: ArgValue, written: ReadonlySet<string>): Segment[] {
  return typeof value === 'string' ? segmentsOf(value, written) : [String(value)]
}

/**
 * The compiled script puts each value into a call as inert inline text or as a fenced block of its own
 * (compile-runtime.ts), and the guard then reads the whole call for `$slot` references and its
 * `[[switchboard into=...]]` directive. That reads as the author wrote it only where the author's own text
 * quotes nothing across a value or past its end: a prompt ending in an open fence, or text after a value
 * that opens one, would let a value's fence close the author's, and the value's lines (an agent's return,
 * the tool's args) would count as written, naming slots and a directive of their own (found by review,
 * 2026-12-01). So each call is read with every value stood in for by each form it may take (a fenced
 * block holding a reference, nothing, a word) and must read as the author's text alone does.
 */
function quotingProblems(
  call: Pick<Call, 'prompt' | 'args'>,
  path: string,
  written: ReadonlySet<string>,
): QuotingProblem[] {
  const parts: Array<[string, Segment[]]> = [
    ...(call.prompt === undefined ? [] : [[`${path}.prompt`, segmentsOf(call.prompt, written)] as [string, Segment[]]]),
    ...Object.entries(call.args).map(([key, value]): [string, Segment[]] => [
      `${path}.args.${key}`,
      argSegments(value, written),
    ]),
  ]
  return parts.flatMap(([where, segments]) => {
    const withValues = (value: string): string =>
      segments.map((part) => (typeof part === 'string' ? part : value)).join('')
    // The author's reading: the values as plain words. Every form a value may take must read alike, and
    // the step's own directive after the text must still count.
    const intended = guardReading(withValues('x'))
    const holds = VALUE_FORMS.every((form) => {
      const reading = guardReading(withValues(form))
      return reading.references === intended.references && reading.into === OWN_DIRECTIVE
    })
    return holds
      ? []
      : [
          {
            path: where,
            message:
              "this text leaves a ``` or ~~~ fence open (at its end, or around a value the script fills in), so a value could close it and its lines count as written, naming $slots or a [[switchboard into=...]] of their own, or the rest of the call, the step's own directive included, would be quoted. Close every fence in the text, and put each value on a line of its own.",
          },
        ]
  })
}

/** quotingProblems for a step's call and its fallback's, at the paths workflow check and compile name. */
export function stepQuotingProblems(step: WorkflowStep, written: ReadonlySet<string>): QuotingProblem[] {
  const path = pathOf(step)
  return [
    ...quotingProblems(step, `${path}.invoke`, written),
    ...(step.onError.fallback ? quotingProblems(step.onError.fallback, `${path}.on_error.fallback`, written) : []),
  ]
}

/** What a value may become in a compiled call (compile-runtime.ts `fill`): a fenced block, or inline text. */
const VALUE_FORMS = ['\n```\n$sbvalue\n```\n', '', 'x']
const OWN_DIRECTIVE = 'sbcheck'

/** The references the guard reads in a call's text, and the slot of the directive it reads after it. */
function guardReading(text: string): { references: string; into: string | undefined } {
  const directive = readDirective(`${text}\n[[switchboard into=${OWN_DIRECTIVE}]]`)
  return {
    references: findReferences(text)
      .map((r) => r.name)
      .join(' '),
    into: directive.ok ? directive.into : undefined,
  }
}
