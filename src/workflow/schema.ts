/**
 * The workflow format, defined once: a YAML file (or any parsed value) that declares steps calling
 * plugin agents, commands and skills. zod/mini, like the rest of the core, so the hooks module can
 * load it; docs/schemas/workflow.schema.json is generated from it (test/workflow/json-schema.test.ts)
 * and docs/workflows.md documents every field.
 *
 * Names follow what a Claude Code plugin author already knows: `invoke` with `plugin` and
 * `agent | command | skill` (the three component kinds), `capability` as in `orchestration.provides`,
 * `args` as the invoke line's `key=value`, `when` (Argo) for conditions, `parallel` for a fan-out
 * group (the native Workflow tool's `parallel()`), `on_error` / `on_complete.inject_into` as in
 * docs/DESIGN, `budget` as in the policy's limits.
 */
import * as z from 'zod/mini'
import { SHORT_TYPE } from '../manifest/contract-schema.ts'
import { CAPABILITY_AT, KEBAB_CASE, SLOT_NAME } from '../manifest/name-rules.ts'
import { INPUTS } from './model.ts'

const STEP_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/

/**
 * Names the engine keeps in plain objects (inputs, slots, arguments, steps): one that every JavaScript object
 * already holds (`toString`, `constructor`, `__proto__`) would read as set when nothing set it, or replace
 * the object's prototype. Refused, as a name Switchboard cannot keep apart from the object itself.
 */
const ownName = z.refine(
  (name) => !(String(name) in Object.prototype),
  'names such as "constructor", "toString" and "__proto__" belong to every JavaScript object; choose another name',
)

const StepIdSchema = z
  .string({ error: 'a step id is text, e.g. "edit"' })
  .check(
    z.regex(
      STEP_ID,
      'a step id is letters, digits, "_" and "-", starting with a letter or "_", e.g. "edit" or "fan_out"',
    ),
    ownName,
  )
const SlotNameSchema = z.string({ error: 'a slot name is text, e.g. "edited_article"' }).check(
  z.regex(SLOT_NAME, 'a slot name is ASCII letters, digits and "_", not starting with a digit, e.g. "edited_article"'),
  z.refine((name) => name !== INPUTS, '"inputs" is reserved for $inputs.<name>; choose another slot name'),
  ownName,
)
const PluginNameSchema = z
  .string({ error: 'plugin is the plugin\'s name, e.g. "tdd-editor"' })
  .check(z.regex(KEBAB_CASE, 'plugin is a kebab-case plugin name, e.g. "tdd-editor"'))
const ComponentNameSchema = z
  .string({ error: 'write the component\'s name inside its plugin, e.g. "editor"' })
  .check(
    z.regex(
      /^[^\s:]+(:[^\s:]+)*$/,
      'a component name has no spaces, e.g. "editor" (or "review:security" for one in a sub-folder)',
    ),
  )
const CapabilityRequestSchema = z
  .string({ error: 'capability is "name@range", e.g. "copy-editing@^1"' })
  .check(z.regex(CAPABILITY_AT, 'capability is "name@range", e.g. "copy-editing@^1"'))
const TextSchema = z.string({ error: 'write text here' })

/** `90` (seconds), `"90s"`, `"10m"`, `"1h"`, `"500ms"`. */
const DURATION_MESSAGE = 'a duration is a number of seconds or text such as "90s", "10m" or "1h"'
const DurationSchema = z.union(
  [z.number().check(z.positive(DURATION_MESSAGE)), z.string().check(z.regex(DURATION, DURATION_MESSAGE))],
  { error: DURATION_MESSAGE },
)
export type Duration = z.infer<typeof DurationSchema>

/** An argument value: text (with `$slot` and `$inputs.name` references), a number or a boolean. */
const ArgValueSchema = z.union([z.string(), z.number(), z.boolean()], {
  error: 'an argument is text, a number or true/false; write lists and objects as text',
})

/** What a step calls: one component by plugin and name, or a capability routed to its best provider. */
const InvokeSchema = strict('invoke', {
  plugin: z.optional(PluginNameSchema),
  agent: z.optional(ComponentNameSchema),
  command: z.optional(ComponentNameSchema),
  skill: z.optional(ComponentNameSchema),
  capability: z.optional(CapabilityRequestSchema),
  prompt: z.optional(TextSchema),
  args: z.optional(
    z.record(
      z
        .string()
        .check(z.regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'an argument name is letters, digits, "_" and "-"'), ownName),
      ArgValueSchema,
      { error: 'args is a map of name: value, e.g. draft: $inputs.draft' },
    ),
  ),
}).check(
  z.describe(
    'What to call: plugin with one of agent, command or skill; or capability. With args and an optional prompt.',
  ),
)
export type Invoke = z.infer<typeof InvokeSchema>

/** A condition on an earlier result or an input, with no code: exactly one subject, exactly one test. */
const ConditionSchema = strict('when', {
  slot: z.optional(SlotNameSchema),
  input: z.optional(TextSchema),
  field: z.optional(
    z
      .string({ error: 'field is a dotted path, as text' })
      .check(
        z.regex(
          /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/,
          'field is a dotted path into a JSON value, e.g. "score" or "meta.title"',
        ),
      ),
  ),
  equals: z.optional(ArgValueSchema),
  not_equals: z.optional(ArgValueSchema),
  matches: z.optional(
    z
      .string({ error: 'matches is a regular expression, as text' })
      .check(z.maxLength(200, 'keep a pattern under 200 characters')),
  ),
  exists: z.optional(z.boolean({ error: 'exists is true or false' })),
}).check(
  z.describe(
    'Run the step only when a slot (or input) exists, equals, does not equal, or matches a regular expression.',
  ),
)
export type Condition = z.infer<typeof ConditionSchema>

const BudgetSchema = strict('budget', {
  calls: z.optional(
    z
      .number({ error: 'calls is a whole number' })
      .check(z.int('calls is a whole number'), z.positive('calls is at least 1')),
  ),
  turns: z.optional(
    z
      .number({ error: 'turns is a whole number' })
      .check(z.int('turns is a whole number'), z.positive('turns is at least 1')),
  ),
  time: z.optional(DurationSchema),
}).check(
  z.describe(
    "Limits: cross-plugin calls (retries and fallbacks count), model turns, wall time. A step's budget narrows the workflow's.",
  ),
)
export type Budget = z.infer<typeof BudgetSchema>

const RetrySchema = strict('retry', {
  count: z
    .number({ error: 'count is a whole number' })
    .check(
      z.int('count is a whole number'),
      z.positive('count is at least 1'),
      z.maximum(10, 'retry at most 10 times'),
    ),
  backoff: z.optional(DurationSchema),
}).check(
  z.describe(
    'Try again `count` times, waiting `backoff` before the first retry and twice as long before each next one.',
  ),
)

const OnErrorSchema = strict('on_error', {
  retry: z.optional(
    z.union(
      [
        z
          .number()
          .check(
            z.int('retry is a whole number'),
            z.positive('retry at least once, or leave retry out'),
            z.maximum(10, 'retry at most 10 times'),
          ),
        RetrySchema,
      ],
      { error: 'retry is a count (e.g. 2) or { count: 2, backoff: 5s }' },
    ),
  ),
  fallback: z.optional(InvokeSchema),
  then: z.optional(
    z.enum(['stop', 'continue'], {
      error: 'then is "stop" (the workflow ends, failed) or "continue" (the next steps run)',
    }),
  ),
}).check(z.describe('When the step fails: retry it, then call the fallback, then stop (default) or continue.'))
export type OnError = z.infer<typeof OnErrorSchema>

export const StepSchema = strict('step', {
  id: StepIdSchema,
  description: z.optional(TextSchema),
  invoke: InvokeSchema,
  when: z.optional(ConditionSchema),
  on_complete: z.optional(strict('on_complete', { inject_into: SlotNameSchema })),
  on_error: z.optional(
    z.union([z.enum(['stop', 'continue']), OnErrorSchema], {
      error: 'on_error is "stop", "continue", or { retry, fallback, then }',
    }),
  ),
  budget: z.optional(BudgetSchema),
}).check(z.describe('One call.'))
export type Step = z.infer<typeof StepSchema>

export const ParallelGroupSchema = strict('parallel group', {
  id: StepIdSchema,
  description: z.optional(TextSchema),
  parallel: z
    .array(StepSchema)
    .check(z.minLength(2, 'a parallel group holds at least two steps; write a single step without "parallel"')),
  max_parallel: z.optional(
    z
      .number({ error: 'max_parallel is a whole number' })
      .check(z.int('max_parallel is a whole number'), z.positive('max_parallel is at least 1')),
  ),
  when: z.optional(ConditionSchema),
}).check(z.describe('Steps that run at once; the next step starts when all of them are done.'))
export type ParallelGroup = z.infer<typeof ParallelGroupSchema>

/** A workflow input: a short type (as in contracts: "markdown", "flat|sketch?") or the type with a description and default. */
const INPUT_TYPE_MESSAGE =
  'an input type is a short type: string, number, integer, boolean, object, markdown, "a|b" (one of), with [] for a list and ? for optional, e.g. "markdown?"'
const InputSchema = z.union(
  [
    z.string().check(z.regex(SHORT_TYPE, INPUT_TYPE_MESSAGE)),
    strict('input', {
      type: z.string({ error: INPUT_TYPE_MESSAGE }).check(z.regex(SHORT_TYPE, INPUT_TYPE_MESSAGE)),
      description: z.optional(TextSchema),
      default: z.optional(ArgValueSchema),
    }),
  ],
  { error: 'an input is a short type such as "markdown" or "flat|sketch?", or { type, description, default }' },
)
export type Input = z.infer<typeof InputSchema>

export const WorkflowSchema = strict('workflow', {
  $schema: z.optional(z.string({ error: '$schema is the path or URL of workflow.schema.json' })),
  name: z.optional(
    z
      .string({ error: 'name is text, e.g. "illustrate-draft"' })
      .check(z.regex(KEBAB_CASE, 'name is kebab-case, e.g. "illustrate-draft" (default: the file name)')),
  ),
  description: z.optional(TextSchema),
  caller: z.optional(
    z
      .string({ error: 'caller is "main" or a plugin agent id such as "tdd-growth:distributor"' })
      .check(
        z.regex(
          /^(main|[a-z0-9]+(-[a-z0-9]+)*(:[^\s:]+)+)$/,
          'caller is "main" or a plugin agent id such as "tdd-growth:distributor"',
        ),
      ),
  ),
  inputs: z.optional(
    z.record(
      z.string().check(z.regex(SLOT_NAME, 'an input name is ASCII letters, digits and "_", e.g. "article"'), ownName),
      InputSchema,
      {
        error: (issue) =>
          issue.code === 'invalid_type' ? 'inputs is a map of name: type, e.g. article: markdown' : undefined,
      },
    ),
  ),
  budget: z.optional(BudgetSchema),
  steps: z
    .array(
      z.union([StepSchema, ParallelGroupSchema], {
        error:
          'a step is a map with an id and an invoke (one call), or an id and parallel (a list of steps that run at once)',
      }),
      { error: 'steps is a list of steps, each "- id: ..." with invoke or parallel' },
    )
    .check(z.minLength(1, 'a workflow has at least one step')),
  outputs: z.optional(
    z.record(
      z.string().check(z.regex(SLOT_NAME, 'an output name is ASCII letters, digits and "_"'), ownName),
      z
        .string({ error: 'an output is a reference, e.g. "$edited_article"' })
        .check(z.regex(/^\$/, 'an output is a reference, e.g. "$edited_article" or "$inputs.article"')),
    ),
  ),
}).check(
  z.describe(
    'A Switchboard workflow: steps that call plugin agents, commands and skills, in order and in parallel groups.',
  ),
)
export type WorkflowFile = z.infer<typeof WorkflowSchema>

// --- internal ---

/** A strict object whose unknown-key message lists the keys it takes (the fix is in the message). */
function strict<Shape extends z.core.$ZodLooseShape>(what: string, shape: Shape) {
  const known = Object.keys(shape).filter((k) => k !== '$schema')
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys')
        return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; ${article(what)} takes ${known.join(', ')}`
      if (issue.code === 'invalid_type') return `${article(what)} is a map of ${known.join(', ')}`
      return undefined
    },
  })
}

function article(what: string): string {
  return `${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}`
}
