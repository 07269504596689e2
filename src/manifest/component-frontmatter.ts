/**
 * The frontmatter fields Claude Code reads from agents, commands and skills, in zod. Lenient the way
 * Claude Code is: a field of the wrong type is dropped (with a diagnostic) and the component still
 * loads; unknown fields are kept and ignored. Numbers and booleans in text fields are stringified,
 * as Claude Code does (`name: 123` is the name "123").
 */
import { z } from 'zod'
import { issueMessage, issuePath } from '../common/index.ts'

const Scalar = z.union([z.string(), z.number(), z.boolean()], {
  error: 'expected text, e.g. description: Reviews pull requests',
})
const ScalarText = Scalar.transform((value) => String(value))

/** Tool lists keep their raw shape here; `parseToolList` splits them. `null` is "present but empty". */
const ToolsField = z.union([z.string(), z.array(z.unknown()), z.null()], {
  error: 'write tools as a list, e.g. tools: [Read, Grep], or as text, e.g. tools: Read, Grep',
})

/** Claude Code accepts yes/no/on/off/1/0 for booleans since 2.1.218. */
const Flag = z
  .union([z.boolean(), z.enum(['yes', 'no', 'on', 'off', 'true', 'false', '1', '0']), z.literal(1), z.literal(0)], {
    error: 'expected true or false',
  })
  .transform(
    (value) => value === true || value === 'yes' || value === 'on' || value === 'true' || value === '1' || value === 1,
  )

/** `argument-hint: [project-name]` is a YAML list; the author meant the text "[project-name]". */
const ArgumentHint = z
  .union([Scalar, z.array(Scalar)])
  .transform((value) => (Array.isArray(value) ? `[${value.join(', ')}]` : String(value)))

/** One instance per kind of optional field, so readComponentFrontmatter can tell them apart cheaply. */
const Text = ScalarText.optional()
const Anything = z.unknown().optional()
const Tools = ToolsField.optional()
const OptionalFlag = Flag.optional()
const OptionalHint = ArgumentHint.optional()
const Count = z.number().optional()
const Paths = z.union([z.string(), z.array(z.string())]).optional()

/** The values each field hands back as they are (no issue, no transform): zod need not see them. */
const PASSES_UNCHANGED = new Map<unknown, (value: unknown) => boolean>([
  [Text, (value) => typeof value === 'string'],
  [Anything, () => true],
  [Tools, (value) => typeof value === 'string' || Array.isArray(value) || value === null],
  [OptionalFlag, (value) => typeof value === 'boolean'],
  [OptionalHint, (value) => typeof value === 'string'],
  [Count, (value) => typeof value === 'number' && Number.isFinite(value)],
  [Paths, (value) => typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))],
])

const Common = {
  name: Text,
  description: Text,
  when_to_use: Text,
  'when-to-use': Text,
  model: Text,
  /** Switchboard's own block; validated separately by OrchestrationSchema so its errors stand alone. */
  orchestration: Anything,
}

const AgentFrontmatterSchema = z.looseObject({
  ...Common,
  tools: Tools,
  disallowedTools: Tools,
  maxTurns: Count,
  background: OptionalFlag,
  effort: Text,
  color: Text,
})

const CommandFrontmatterSchema = z.looseObject({
  ...Common,
  'argument-hint': OptionalHint,
  'allowed-tools': Tools,
  'disallowed-tools': Tools,
  'disable-model-invocation': OptionalFlag,
  'user-invocable': OptionalFlag,
  context: Text,
  /** Any value: Claude Code runs a forked skill as `String(agent)`, so a list `[x:y]` names x:y. */
  agent: Anything,
})

/** Skills read the same fields as commands (since 2.1.3 they are one mechanism), plus a few of their own. */
const SkillFrontmatterSchema = CommandFrontmatterSchema.extend({
  /** Two corpus skills write `tools` where skills use `allowed-tools`; Claude Code ignores it there. */
  tools: Tools,
  paths: Paths,
  license: Text,
})

export type ComponentKind = 'agent' | 'command' | 'skill'

export const FRONTMATTER_SCHEMAS = {
  agent: AgentFrontmatterSchema,
  command: CommandFrontmatterSchema,
  skill: SkillFrontmatterSchema,
} as const

export interface FieldProblem {
  field: string
  message: string
}

/**
 * Validates frontmatter field by field: each field that does not fit is dropped and reported, the
 * rest is kept. This is what Claude Code does ("Description invalid ... - omitting").
 */
export function readComponentFrontmatter<K extends ComponentKind>(
  kind: K,
  data: Record<string, unknown>,
): { fields: z.output<(typeof FRONTMATTER_SCHEMAS)[K]>; problems: FieldProblem[] } {
  const schema = FRONTMATTER_SCHEMAS[kind]
  // Most blocks hold values zod would hand back unchanged (text in text fields, a list of tools, fields it does not read).
  const shape = schema.shape as Record<string, unknown>
  if (allUnchanged(shape, data)) return { fields: data as z.output<(typeof FRONTMATTER_SCHEMAS)[K]>, problems: [] }
  const hinted = withListedHint(shape, data)
  if (hinted) return { fields: hinted as z.output<(typeof FRONTMATTER_SCHEMAS)[K]>, problems: [] }
  const parser = schema as z.ZodType
  const first = parser.safeParse(data)
  if (first.success) return { fields: first.data as z.output<(typeof FRONTMATTER_SCHEMAS)[K]>, problems: [] }
  const problems: FieldProblem[] = []
  const kept = { ...data }
  for (const issue of first.error.issues) {
    const field = String(issue.path[0] ?? '')
    if (field in kept) {
      delete kept[field]
      problems.push({ field: issuePath(issue), message: issueMessage(issue) })
    }
  }
  const second = parser.safeParse(kept)
  // Every failing field was removed above, and each field is optional, so the second parse succeeds.
  return { fields: (second.success ? second.data : {}) as z.output<(typeof FRONTMATTER_SCHEMAS)[K]>, problems }
}

// --- internal ---

/** Whether zod would give every field back as it is (a plain loop, no closure per block). */
function allUnchanged(shape: Record<string, unknown>, data: Record<string, unknown>): boolean {
  for (const key of Object.keys(data)) if (!isUnchanged(shape[key], data[key])) return false
  return true
}

/** Whether the schema's field gives `value` back as it is: a field it does not read, or a value PASSES_UNCHANGED. */
function isUnchanged(field: unknown, value: unknown): boolean {
  return field === undefined || PASSES_UNCHANGED.get(field)?.(value) === true
}

/**
 * zod's output for a block whose one change is ArgumentHint's: `argument-hint: [file]`, a YAML list of
 * scalars (the way Claude Code's own docs write it), made the text "[file]". Else undefined, and zod
 * decides. A corpus build parsed one such block with zod, which cost a first build about 5 ms (zod makes
 * its parser of a schema the first time it uses it; measured) and a warm one 0.1 ms.
 */
function withListedHint(
  shape: Record<string, unknown>,
  data: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const hint = data['argument-hint']
  if (shape['argument-hint'] !== OptionalHint || !Array.isArray(hint) || !hint.every(isScalar)) return undefined
  for (const key of Object.keys(data))
    if (key !== 'argument-hint' && !isUnchanged(shape[key], data[key])) return undefined
  // As zod gives a loose object: the schema's keys in its order, then the others as they are.
  const fields: Record<string, unknown> = {}
  for (const key of Object.keys(shape))
    if (Object.hasOwn(data, key)) fields[key] = key === 'argument-hint' ? `[${hint.join(', ')}]` : data[key]
  for (const key of Object.keys(data)) if (!Object.hasOwn(shape, key)) fields[key] = data[key]
  return fields
}

/** What Scalar takes: text, a finite number (zod refuses NaN and the infinities), or a boolean. */
function isScalar(value: unknown): boolean {
  return (
    typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
  )
}
