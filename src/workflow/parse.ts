/**
 * A workflow file's parsed value (YAML or JSON, read by the runtime) → the workflow, or diagnostics
 * that name the file, the step and the field, with the fix. Never throws on bad input. What needs
 * the registry (targets, contracts, callers) is check.ts's.
 *
 * Paths in diagnostics use step ids where they can: `steps.edit.invoke.agent`, not `steps.0.invoke.agent`.
 */
import { error, issueMessage } from '../common/core.ts'
import type { Diagnostic, Loaded } from '../common/core.ts'
import safeRegex from 'safe-regex2'
import type { $ZodIssue } from 'zod/v4/core'
import { allSteps, CLAUDE_CODE_CONCURRENT_AGENTS, normaliseWorkflow, pathOf } from './model.ts'
import type { Call, Workflow } from './model.ts'
import { soleReference, workflowReferences } from './references.ts'
import { defaultText, inputTypeProblem } from './inputs.ts'
import { ParallelGroupSchema, StepSchema, WorkflowSchema } from './schema.ts'
import type { Condition, Invoke, WorkflowFile } from './schema.ts'

export interface WorkflowSource {
  /** The file it came from (for messages), or a label such as `tdd-growth:distribute`. */
  file: string
  /** The name when the file does not give one: its file name without the extension. */
  name: string
  /** The plugin that ships it (its workflows/ folder), when it is one's. */
  plugin?: string
}

/** The workflow in a parsed value, or null with the diagnostics that say why. */
export function parseWorkflow(
  value: unknown,
  source: WorkflowSource,
  concurrency = CLAUDE_CODE_CONCURRENT_AGENTS,
): Loaded<Workflow | null> {
  const parsed = WorkflowSchema.safeParse(value)
  if (!parsed.success) return { value: null, diagnostics: schemaDiagnostics(parsed.error.issues, value, source.file) }
  const diagnostics = [...structureProblems(parsed.data, source.file)]
  if (diagnostics.length > 0) return { value: null, diagnostics }
  const workflow = normaliseWorkflow(parsed.data, source, concurrency)
  diagnostics.push(...referenceProblems(workflow))
  return diagnostics.length > 0 ? { value: null, diagnostics } : { value: workflow, diagnostics }
}

/** A field path with step ids in place of list indexes: `steps.fan_out.parallel.seo.args`. */
function stepPath(raw: unknown, path: ReadonlyArray<PropertyKey>): string {
  const parts: string[] = []
  let node: unknown = raw
  let parent: PropertyKey | undefined
  for (const key of path) {
    const child = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined
    const id =
      (parent === 'steps' || parent === 'parallel') &&
      typeof key === 'number' &&
      child !== null &&
      typeof child === 'object'
        ? (child as { id?: unknown }).id
        : undefined
    parts.push(typeof id === 'string' && id ? id : String(key))
    parent = key
    node = child
  }
  return parts.join('.')
}

// --- internal ---

const CODE = 'WORKFLOW_INVALID'

/**
 * zod issues → diagnostics. A union that failed is reported through the one option whose type fits
 * (an object where a map was written), and a step through the step or group schema it is meant as,
 * so the message is about the field that is wrong, not "no option matched".
 */
function schemaDiagnostics(issues: readonly $ZodIssue[], raw: unknown, file: string): Diagnostic[] {
  return issues.flatMap((issue) =>
    explain(issue, raw).map(({ path, message }) => error(CODE, file, message, stepPath(raw, path) || undefined)),
  )
}

function explain(issue: $ZodIssue, raw: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const at = [...issue.path]
  const value = valueAt(raw, at)
  if (value === undefined && at.length > 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_union'))
    return [{ path: at, message: `"${String(at[at.length - 1])}" is missing: ${issueMessage(issue)}` }]
  // A map's key that breaks its rule: the rule's own words, not "Invalid key in record".
  if (issue.code === 'invalid_key' && issue.issues[0])
    return [{ path: at, message: `the name "${String(at.at(-1))}": ${issue.issues[0].message}` }]
  if (issue.code !== 'invalid_union') return [{ path: at, message: issueMessage(issue) }]
  const isStep = at.length === 2 && at[0] === 'steps' && value !== null && typeof value === 'object'
  if (isStep) {
    const schema = 'parallel' in (value as object) ? ParallelGroupSchema : StepSchema
    const result = schema.safeParse(value)
    if (!result.success)
      return result.error.issues.flatMap((inner) =>
        explain({ ...inner, path: [...at, ...inner.path] } as $ZodIssue, raw),
      )
  }
  const fitting = issue.errors.filter(
    (option) =>
      !option.some(
        (inner) =>
          inner.path.length === 0 &&
          (inner.code === 'invalid_type' || inner.code === 'invalid_value' || inner.code === 'invalid_format'),
      ),
  )
  if (fitting.length === 1)
    return fitting[0]!.flatMap((inner) => explain({ ...inner, path: [...at, ...inner.path] } as $ZodIssue, raw))
  return [{ path: at, message: issueMessage(issue) }]
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let node = raw
  for (const key of path)
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined
  return node
}

/** Rules the schema cannot say: one target per invoke, unique ids, well-formed conditions. */
function structureProblems(file: WorkflowFile, where: string): Diagnostic[] {
  const problems: Diagnostic[] = []
  const seen = new Set<string>()
  const inputs = Object.keys(file.inputs ?? {})
  const visit = (entry: { id: string; when?: Condition | undefined }, path: string): void => {
    if (seen.has(entry.id))
      problems.push(
        error(
          'WORKFLOW_DUPLICATE_STEP',
          where,
          `two steps have the id "${entry.id}"; step ids name results, receipts and trace entries, so each must be unique. Rename one.`,
          path,
        ),
      )
    seen.add(entry.id)
    if (entry.when) problems.push(...conditionProblems(entry.when, inputs, where, `${path}.when`))
  }
  for (const entry of file.steps) {
    const path = `steps.${entry.id}`
    visit(entry, path)
    const steps =
      'parallel' in entry
        ? entry.parallel.map((step) => ({ step, path: `${path}.parallel.${step.id}` }))
        : [{ step: entry, path }]
    for (const { step, path: stepAt } of steps) {
      if (step !== entry) visit(step, stepAt)
      problems.push(...invokeProblems(step.invoke, where, `${stepAt}.invoke`))
      const fallback = typeof step.on_error === 'object' ? step.on_error.fallback : undefined
      if (fallback) problems.push(...invokeProblems(fallback, where, `${stepAt}.on_error.fallback`))
    }
  }
  // A default is checked as a given value would be at the run (inputs.ts), so a wrong one fails here, not then.
  for (const [name, input] of Object.entries(file.inputs ?? {})) {
    if (typeof input === 'string' || input.default === undefined) continue
    const wrong = inputTypeProblem(input.type.replace(/\?$/, ''), defaultText(input.default))
    if (wrong)
      problems.push(
        error(CODE, where, `the default: ${wrong} Give a default of type ${input.type}.`, `inputs.${name}.default`),
      )
  }
  return problems
}

function invokeProblems(invoke: Invoke, where: string, path: string): Diagnostic[] {
  const named = (['agent', 'command', 'skill', 'capability'] as const).filter((key) => invoke[key] !== undefined)
  if (named.length !== 1) {
    const fix =
      named.length === 0
        ? 'Add one, e.g. plugin: tdd-editor with agent: editor, or capability: copy-editing@^1.'
        : `Keep one of ${named.join(', ')}.`
    return [
      error(
        CODE,
        where,
        `invoke names ${named.length === 0 ? 'nothing to call' : `${named.length} targets`}; it calls one agent, command or skill of a plugin, or one capability. ${fix}`,
        path,
      ),
    ]
  }
  if (named[0] === 'capability' && invoke.plugin !== undefined)
    return [
      error(
        CODE,
        where,
        `a capability is routed to its best provider, whichever plugin that is, so "plugin" does not go with it. Remove plugin, or call ${invoke.plugin}'s component by name.`,
        `${path}.plugin`,
      ),
    ]
  if (named[0] !== 'capability' && invoke.plugin === undefined)
    return [
      error(
        CODE,
        where,
        `${named[0]} "${invoke[named[0]!]}" needs the plugin it belongs to. Add plugin: <plugin name>.`,
        `${path}.plugin`,
      ),
    ]
  return []
}

function conditionProblems(condition: Condition, inputs: string[], where: string, path: string): Diagnostic[] {
  const subjects = (['slot', 'input'] as const).filter((key) => condition[key] !== undefined)
  const tests = (['equals', 'not_equals', 'matches', 'exists'] as const).filter((key) => condition[key] !== undefined)
  const problems: Diagnostic[] = []
  if (subjects.length !== 1)
    problems.push(
      error(
        CODE,
        where,
        `a condition looks at one thing: write slot: <name> (an earlier step's result) or input: <name>, not ${subjects.length === 0 ? 'neither' : 'both'}.`,
        path,
      ),
    )
  if (tests.length !== 1)
    problems.push(
      error(
        CODE,
        where,
        `a condition makes one test: equals, not_equals, matches or exists${tests.length > 1 ? `, not ${tests.join(' and ')}` : ''}.`,
        path,
      ),
    )
  if (condition.input !== undefined && !inputs.includes(condition.input))
    problems.push(
      error(
        'WORKFLOW_UNKNOWN_INPUT',
        where,
        `there is no input "${condition.input}". Inputs: ${inputs.join(', ') || 'none'}. Declare it under inputs, or fix the name.`,
        `${path}.input`,
      ),
    )
  if (condition.matches !== undefined) {
    try {
      new RegExp(condition.matches, 'u')
      // A quantifier over a quantified group (`(\w+\s?)*`) backtracks exponentially on a value that
      // almost matches: a hostile slot value would hold a runtime's thread for hours (Node's has no
      // regex timeout). safe-regex2 finds that shape; the runtimes also test only a value's start.
      if (!safeRegex(condition.matches))
        problems.push(
          error(
            CODE,
            where,
            'matches nests one repetition inside another (as in "(a+)+"), which can take exponential time on a value that almost matches. Repeat one thing only, e.g. "^(yes|ok)$" or "^[\\w\\s]*$".',
            `${path}.matches`,
          ),
        )
    } catch (thrown) {
      problems.push(
        error(
          CODE,
          where,
          `matches is not a regular expression (${(thrown as Error).message}). Fix the pattern, e.g. "^(yes|ok)$".`,
          `${path}.matches`,
        ),
      )
    }
  }
  return problems
}

/** `$inputs.<name>` must name a declared input; `$inputs` alone is a mistake. Slots are check.ts's. */
function referenceProblems(workflow: Workflow): Diagnostic[] {
  const problems: Diagnostic[] = []
  const inputs = Object.keys(workflow.inputs)
  const look = (text: string, path: string): void => {
    for (const reference of workflowReferences(text)) {
      if (reference.kind === 'bad')
        problems.push(error('WORKFLOW_BAD_REFERENCE', workflow.file, reference.reason, path))
      else if (reference.kind === 'input' && !inputs.includes(reference.name))
        problems.push(
          error(
            'WORKFLOW_UNKNOWN_INPUT',
            workflow.file,
            `$inputs.${reference.name} names no declared input. Inputs: ${inputs.join(', ') || 'none'}. Declare it under inputs, or fix the name.`,
            path,
          ),
        )
    }
  }
  const lookCall = (call: Call, path: string): void => {
    if (call.prompt !== undefined) look(call.prompt, `${path}.prompt`)
    for (const [key, value] of Object.entries(call.args))
      if (typeof value === 'string') look(value, `${path}.args.${key}`)
  }
  for (const step of allSteps(workflow)) {
    const path = pathOf(step)
    lookCall(step, `${path}.invoke`)
    if (step.onError.fallback) lookCall(step.onError.fallback, `${path}.on_error.fallback`)
  }
  for (const [name, reference] of Object.entries(workflow.outputs)) {
    look(reference, `outputs.${name}`)
    // The whole text one reference: "$art.svg" is $art then text, and would be left unset, not the field.
    if (!soleReference(reference)) {
      const first = workflowReferences(reference)[0]
      const field = first?.kind === 'slot' && first.start === 0 && reference[first.end] === '.'
      problems.push(
        error(
          'WORKFLOW_BAD_REFERENCE',
          workflow.file,
          field
            ? `an output is a whole slot or input: "${reference}" names a field of $${first.name}, which outputs do not read. Output $${first.name}, or have a step return the field alone.`
            : `an output is one reference, e.g. "$edited_article" or "$inputs.article", not "${reference}".`,
          `outputs.${name}`,
        ),
      )
    }
  }
  return problems
}
