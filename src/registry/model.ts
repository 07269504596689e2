/**
 * What the registry knows, as zod schemas: the shape `switchboard registry --json` prints and the
 * snapshot stores. Defined once here; docs/registry.schema.json is generated from it.
 */
import { z } from 'zod'
import { OrchestrationSchema, PluginOrchestrationSchema } from '../manifest/index.ts'

const ComponentKindSchema = z.enum(['agent', 'command', 'skill'])

export const ComponentSchema = z.object({
  /** The id Claude Code uses: `subagent_type` for agents, the Skill tool's `skill` for commands and skills. */
  id: z.string().describe('The id Claude Code uses, e.g. "code-review:reviewer" or "plug:sub:agent".'),
  plugin: z.string().describe('The plugin namespace (its plugin.json name).'),
  kind: ComponentKindSchema,
  name: z.string().describe('The id without the plugin prefix.'),
  aliases: z
    .array(z.string())
    .describe('Extra ids Claude Code 2.1.331+ accepts (a command or skill frontmatter "name").'),
  description: z.string(),
  descriptionFrom: z
    .enum(['frontmatter', 'when_to_use', 'body', 'placeholder'])
    .describe('Where the description came from.'),
  listed: z
    .boolean()
    .describe(
      'Whether Claude Code lists it to the model (agents always; commands and skills need a written description).',
    ),
  invocable: z.boolean().describe('Whether the model can call it at all (false for disable-model-invocation).'),
  tools: z
    .array(z.string())
    .nullable()
    .describe('Allowed tools, minus the disallowed ones; null means every tool (no tools field, or "*").'),
  disallowedTools: z
    .array(z.string())
    .describe('Tools it may not use (disallowedTools for agents, disallowed-tools for commands and skills).'),
  model: z.string().nullable(),
  argumentHint: z.string().nullable(),
  forkAgent: z
    .string()
    .nullable()
    .describe(
      "A command or skill with `context: fork`: the agent it runs as (its `agent` field, as written), which may be another plugin's; else null.",
    ),
  frontName: z
    .string()
    .optional()
    .describe(
      "A command's or skill's frontmatter name as written: Claude Code runs a Skill call of that bare name (all pinned versions), and 2.1.197 loads an agent's `skills:` entry by it.",
    ),
  shellArguments: z
    .literal(true)
    .optional()
    .describe(
      'A command or skill whose body runs a shell command (`!` line or block) that may read its arguments, which Claude Code pastes in unquoted: the guard passes it no slot value.',
    ),
  preloads: z
    .array(z.string())
    .optional()
    .describe(
      "An agent's `skills:` frontmatter: the skills and commands Claude Code loads into its first request (names as written, split at commas and spaces), which the guard checks as calls the agent makes.",
    ),
  unreadFrontmatter: z
    .string()
    .optional()
    .describe(
      "Why Switchboard could not read the component's frontmatter (not YAML its reader takes): Claude Code's own parser may still read a skills:, agent: or context: field from it that the guard cannot check, so every call to it is refused.",
    ),
  claimedName: z
    .string()
    .optional()
    .describe(
      "A command or skill whose frontmatter name is in another namespace (`name: other:deploy`): that name, which Claude Code 2.1.197 runs this component for, before the other plugin's own.",
    ),
  file: z.string().describe('The source file (absolute).'),
  orchestration: OrchestrationSchema.nullable().describe(
    'The validated orchestration block; a closed one (not callable, calls nothing) when it was invalid or unreadable; null when none was given.',
  ),
  callable: z
    .boolean()
    .describe(
      'Whether other plugins may call it: orchestration.callable, else the plugin default, else true; false while its orchestration block is invalid.',
    ),
})
export type Component = z.infer<typeof ComponentSchema>

/** What a calling plugin (or its model) reads about a component: `orchestration.description` where the author wrote one for callers. */
export function callerDescription(component: Pick<Component, 'description' | 'orchestration'>): string {
  return component.orchestration?.description ?? component.description
}

const PluginOriginSchema = z.enum(['installed', 'marketplace', 'plugin-dir', 'skills-dir'])

const DependencyRefSchema = z.object({
  name: z.string(),
  marketplace: z.string().optional(),
  range: z.string().optional(),
})

/** A Switchboard workflow file a plugin ships (read by src/workflow/, not here). */
const WorkflowFileRecordSchema = z.object({
  id: z.string().describe('`<plugin>:<name>`, as `switchboard workflow check` and `/switchboard:run` take it.'),
  name: z.string().describe('The file name without .yaml or .yml.'),
  file: z.string().describe('The file (absolute).'),
  document: z
    .optional(z.unknown())
    .describe(
      'The file as parsed YAML (a JSON value), for the hooks module, which reads no YAML; absent when it does not parse (see problem).',
    ),
  problem: z.optional(z.string()).describe('Why the file could not be read or parsed as YAML, with the line.'),
})
export type WorkflowFileRecord = z.infer<typeof WorkflowFileRecordSchema>

const PluginRecordSchema = z.object({
  name: z
    .string()
    .describe(
      'The namespace of its components: plugin.json "name", else the marketplace entry name, else the folder name.',
    ),
  key: z.string().describe('How Claude Code keys it: "entry@marketplace", or "name@inline" for --plugin-dir.'),
  root: z.string(),
  origin: PluginOriginSchema,
  marketplace: z.string().nullable(),
  version: z.string().nullable(),
  description: z.string().nullable(),
  enabled: z.boolean(),
  loaded: z.boolean().describe('False when Claude Code would refuse to load it; see loadError.'),
  loadError: z.string().nullable(),
  scanLimit: z
    .string()
    .nullable()
    .describe(
      'Why Switchboard read this plugin only in part (a scan limit: a symlink loop, too many entries, a file too large), or null. Only the components found before the limit are listed.',
    ),
  manifestFile: z.string().nullable(),
  dependencies: z.array(DependencyRefSchema),
  orchestration: PluginOrchestrationSchema.nullable(),
  counts: z.object({ agents: z.number(), commands: z.number(), skills: z.number() }),
  workflows: z
    .array(WorkflowFileRecordSchema)
    .optional()
    .describe(
      'Its Switchboard workflow files (workflows/*.yaml); absent in snapshots written before workflows existed.',
    ),
})
export type PluginRecord = z.infer<typeof PluginRecordSchema>
