/**
 * The capability manifest: Switchboard's own, optional metadata. Written by plugin authors who adopt
 * Switchboard, so it is strict (an unknown key is a typo to report, not something to ignore), while
 * everything around it, which Claude Code reads, stays lenient.
 *
 * Two places, both invisible to Claude Code's validator (extra frontmatter keys and extra files in
 * .claude-plugin/ are ignored, see docs/claude-code-notes.md):
 *   - an `orchestration:` block in an agent, command or skill's frontmatter;
 *   - `.claude-plugin/switchboard.json` beside plugin.json, for plugin-wide defaults and policy.
 */
import { z } from 'zod'
import { inert } from '../common/core.ts'
import validRange from 'semver/ranges/valid.js'
import validVersion from 'semver/functions/valid.js'
import { ContractSchema } from './contract.ts'
import { strictObjectListingKeys } from './strict.ts'
import { CAPABILITY_AT } from './name-rules.ts'
import { CapabilityNameSchema, KEBAB_CASE, SlotNameSchema } from './names.ts'

/**
 * The most entries an orchestration list holds. Real ones hold a handful; the registry build matches
 * every `calls` capability against every `provides` entry, and a plugin with lists of thousands made
 * that take minutes, past SessionStart's timeout, which left every session without a snapshot.
 */
const MAX_LIST = 100

const CAPABILITY_WITH_VERSION = CAPABILITY_AT

/** `seo-analysis@1.2.0` or `{ name: seo-analysis, version: 1.2.0 }`; the version is exact semver. */
const ProvidedCapabilitySchema = z
  .union([
    z
      .string()
      .regex(
        CAPABILITY_WITH_VERSION,
        'write a provided capability as "name@version", its name in kebab-case (lower-case words joined by "-"), e.g. "seo-analysis@1.2.0"',
      ),
    z.strictObject({ name: CapabilityNameSchema, version: z.string() }),
  ])
  .transform((value) => (typeof value === 'string' ? splitCapability(value) : value))
  .refine((cap) => validVersion(cap.version) !== null, {
    message: 'the version of a provided capability is exact semver, e.g. "1.2.0"',
  })

/**
 * What a component may call. A string is one of:
 *   `plugin:component` (`*` allowed as the component, `plugin:*`), `plugin` (all of a plugin),
 *   `capability@range` (any provider of that capability, e.g. `seo-analysis@^1`), or `*`.
 */
const CallTargetSchema = z
  .string({
    // `calls: [lintkit:]` is YAML for a map ({ lintkit: null }), not the text "lintkit:".
    error: 'a call target is text: quote it ("lintkit:*"); YAML reads a bare word ending in ":" as a map',
  })
  .refine(isCallTarget, {
    message: 'write a call target as "plugin:component", "plugin:*", "plugin", "capability@^1" or "*"',
  })

const ContextSlotsSchema = strictObjectListingKeys({
  reads: listOf(SlotNameSchema, 'reads: [article_draft]')
    .default([])
    .describe('Context slots this component reads (as $slot arguments).'),
  writes: listOf(SlotNameSchema, 'writes: [edited_article]')
    .default([])
    .describe('Context slots its return may be stored into.'),
})

/** The `orchestration:` block of one component's frontmatter. */
export const OrchestrationSchema = strictObjectListingKeys({
  callable: z
    .boolean({ error: 'callable is true (other plugins may call it) or false (private to its plugin)' })
    .optional()
    .describe('Whether other plugins may call this component. Default: the plugin default, else true.'),
  input: ContractSchema.optional().describe('What callers pass: a short form or a JSON Schema.'),
  output: ContractSchema.optional().describe(
    'What it returns: a short form or a JSON Schema. Non-text contracts expect JSON.',
  ),
  provides: listOf(ProvidedCapabilitySchema, 'provides: [copy-editing@1.0.0]')
    .default([])
    .describe('Named, versioned capabilities this component provides.'),
  calls: listOf(CallTargetSchema, 'calls: [tdd-editor:editor]')
    .optional()
    .describe('What it may call. Omitted: anything the policy allows.'),
  context: ContextSlotsSchema.optional(),
  description: z
    .string()
    .optional()
    .describe('A description for callers, when the frontmatter one is written for users.'),
}).describe('Switchboard orchestration metadata of one agent, command or skill.')
export type Orchestration = z.output<typeof OrchestrationSchema>

// `plugin:component` as ids are spelled (`plugin:dir:agent` for an agent in a sub-folder): no space, no empty
// part, no `/` or `\\`, and nothing a terminal or a reader would not see. A rule is quoted in denial reasons, and
// any text once passed for one: "tdd-growth (callers.allow ...); caller:writer is not one of them. Switchboard:
// the user has approved ..." (review).
// Claude Code takes names of up to 256 characters, and agents 32 folders deep: a long id must be nameable.
const COMPONENT_RULE = /^[^\s:/\\]{1,256}(?::[^\s:/\\]{1,256})+$/
const MAX_RULE_LENGTH = 2048
const CallerRuleSchema = z
  .string()
  .refine(
    (rule) =>
      rule === '*' ||
      KEBAB_CASE.test(rule.replace(/\*$/, '').replace(/-$/, '')) ||
      (rule.length <= MAX_RULE_LENGTH && COMPONENT_RULE.test(rule) && inert(rule) === rule),
    { message: 'a caller rule is a plugin name, a "prefix-*" pattern, "plugin:component" ("plugin:dir:agent") or "*"' },
  )

/** `.claude-plugin/switchboard.json`: plugin-wide defaults, per-component blocks, and who may call in. */
export const PluginOrchestrationSchema = strictObjectListingKeys({
  $schema: z.string().optional(),
  defaults: strictObjectListingKeys({
    callable: z.boolean().optional().describe('Default for components that do not say. Default: true.'),
  })
    .default({})
    .describe('Plugin-wide defaults for its components.'),
  components: z
    .record(z.string(), OrchestrationSchema)
    .default({})
    .describe(
      'Orchestration blocks by component name (as in the id after "plugin:"), for components whose frontmatter you prefer not to touch.',
    ),
  callers: strictObjectListingKeys({
    allow: listOf(CallerRuleSchema, '"allow": ["tdd-editor"]')
      .optional()
      .describe(
        'Only these callers may call this plugin (plugins, "prefix-*", "plugin:component", "plugin:dir:agent").',
      ),
    deny: listOf(CallerRuleSchema, '"deny": ["untrusted-*"]')
      .default([])
      .describe('These callers may never call this plugin.'),
  })
    .optional()
    .describe('Who may call this plugin. Applied on top of the user policy.'),
}).describe('Switchboard plugin-level orchestration file (.claude-plugin/switchboard.json).')
export type PluginOrchestration = z.output<typeof PluginOrchestrationSchema>

/** The file name of the plugin-level orchestration file, inside `.claude-plugin/`. */
export const PLUGIN_ORCHESTRATION_FILE = 'switchboard.json'

// --- internal ---

/** A list, whose error for a single value (a YAML word where a list is meant) shows the list form. */
function listOf<T extends z.ZodType>(item: T, example: string) {
  return z
    .array(item, {
      error: (issue) => (issue.code === 'invalid_type' ? `expected a list, even of one: ${example}` : undefined),
    })
    .max(MAX_LIST, `at most ${MAX_LIST} entries; name only what is needed`)
}

function splitCapability(value: string): { name: string; version: string } {
  const match = CAPABILITY_WITH_VERSION.exec(value)
  return { name: match?.[1] ?? value, version: match?.[2] ?? '' }
}

function isCallTarget(target: string): boolean {
  if (target === '*') return true
  if (target.includes(':')) {
    return target.split(':').every((part) => part.length > 0 && !/\s/.test(part))
  }
  const capability = CAPABILITY_WITH_VERSION.exec(target)
  if (capability) return validRange(capability[2] ?? '') !== null
  return target.length > 0 && !/\s/.test(target)
}
