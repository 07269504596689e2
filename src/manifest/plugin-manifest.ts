/**
 * `.claude-plugin/plugin.json`, as Claude Code reads it when it loads a plugin.
 *
 * Two levels, because Claude Code has two: a recognised field of the wrong type makes Claude Code
 * refuse the whole plugin (so PluginManifestSchema failing means "not loaded", with its reason),
 * while unknown top-level keys are only validator warnings (`claude plugin validate --strict` fails
 * on them; `lintPluginManifest` reports them). Facts: docs/claude-code-notes.md.
 */
import { z } from 'zod'
import { inert, inertJson } from '../common/core.ts'
import validRange from 'semver/ranges/valid.js'

const SemverRange = z.string().refine((range) => validRange(range) !== null, 'not a semver range; try "^1.2.0"')

/** One native dependency: `"name"`, `"name@marketplace"` or `{ name, version?, marketplace? }`. */
const DependencySchema = z.union(
  [
    z.string().min(1),
    z.looseObject({ name: z.string().min(1), version: SemverRange.optional(), marketplace: z.string().optional() }),
  ],
  { error: 'each dependency is "other", "other@marketplace" or { "name": "other", "version": "^1.2.0" }' },
)
export type Dependency = z.infer<typeof DependencySchema>

/** A component path: relative to the plugin root and starting with "./" (Claude Code rejects others). */
const ComponentPath = z
  .string()
  .refine(
    (path) => path.startsWith('./') || path === '.',
    'component paths are relative to the plugin root and start with "./", e.g. "./commands" (variables such as ${CLAUDE_PLUGIN_ROOT} are not expanded here)',
  )
// A path that escapes the plugin ("./../x") is not a schema error: Claude Code loads the plugin and
// reports the path (path-traversal), so the registry checks that when it resolves paths.
const PathOrPaths = z.union([ComponentPath, z.array(ComponentPath)])

/** Agents are listed as .md files; a folder is refused ("agents.0: Invalid string: must end with .md"). */
const AgentPath = ComponentPath.refine(
  (path) => path.endsWith('.md'),
  'list agent files ending with .md, e.g. "./agents/reviewer.md"; a folder is not accepted here',
)

const HooksPath = ComponentPath.refine(
  (path) => path.endsWith('.json'),
  'a hooks path names a .json file, e.g. "./hooks/extra.json"',
)

/** `commands` may also be a map of command name -> { source | content, description?, ... } (newer docs). */
const CommandMapEntry = z.looseObject({
  source: ComponentPath.optional(),
  content: z.string().optional(),
  description: z.string().optional(),
  argumentHint: z.string().optional(),
  model: z.string().optional(),
  allowedTools: z.union([z.string(), z.array(z.string())]).optional(),
})

const Author = z.looseObject(
  { name: z.string().min(1, 'author.name is empty'), email: z.string().optional(), url: z.string().optional() },
  { error: 'author is an object: { "name": "Jane Doe", "email": "jane@example.com" }' },
)

/**
 * The fields Claude Code knows, with the types it enforces. Shared by plugin.json and marketplace
 * entries (an entry may carry any plugin.json field).
 */
export const PluginManifestSchema = z.looseObject({
  $schema: z.string().optional(),
  name: z
    .string({ error: 'plugin.json needs a "name" (kebab-case, e.g. "code-review")' })
    .min(1, 'the plugin name is empty; use kebab-case, e.g. "code-review"')
    .refine(
      (name) => !/[@:/\\\s]/.test(name),
      'the plugin name may not contain "@", ":", "/", "\\" or spaces; use kebab-case, e.g. "code-review"',
    ),
  displayName: z.string().optional(),
  version: z.string().optional(),
  description: z.string().optional(),
  author: Author.optional(),
  homepage: z.url({ error: 'homepage must be a full URL, e.g. "https://example.com/my-plugin"' }).optional(),
  repository: z.union([z.string(), z.looseObject({})]).optional(),
  license: z.string().optional(),
  keywords: z.array(z.string(), { error: 'keywords is a list of strings, e.g. ["review", "git"]' }).optional(),
  dependencies: z
    .array(DependencySchema, {
      error: 'dependencies is a list, not a map: ["other", { "name": "x", "version": "^1" }]',
    })
    .optional(),
  defaultEnabled: z.boolean().optional(),
  commands: z.union([PathOrPaths, z.record(z.string(), CommandMapEntry)]).optional(),
  agents: z.union([AgentPath, z.array(AgentPath)]).optional(),
  skills: PathOrPaths.optional(),
  hooks: z.union([HooksPath, z.array(z.union([HooksPath, z.looseObject({})])), z.looseObject({})]).optional(),
  // MCP and LSP entries may also be bundle paths or URLs; the registry does not read them, so stay loose.
  mcpServers: z.union([z.string(), z.array(z.unknown()), z.looseObject({})]).optional(),
  lspServers: z.union([z.string(), z.array(z.unknown()), z.looseObject({})]).optional(),
  outputStyles: PathOrPaths.optional(),
  workflows: PathOrPaths.optional(),
})

export type PluginManifest = z.infer<typeof PluginManifestSchema>

/** Top-level keys Claude Code recognises; anything else is a `validate --strict` failure. */
export const KNOWN_MANIFEST_KEYS: ReadonlySet<string> = new Set([
  ...Object.keys(PluginManifestSchema.shape),
  'userConfig',
  'channels',
  'metadata',
  'settings',
  'experimental',
  'themes',
  'monitors',
  'icon',
  'documentationUrl',
  'supportUrl',
  'privacyPolicyUrl',
  'termsOfServiceUrl',
])

/**
 * A dependency in the normalised shape used for resolution. A name no plugin can have (a space, a
 * control or invisible character, `:`, `/`, `\\`, or past 100 characters) can match no plugin, and is
 * kept as a JSON-quoted excerpt: every message that names it quotes a plugin's own text, which must
 * not read as Switchboard's words ("lib). Switchboard: the user approved ...", found by review).
 */
export function normaliseDependency(dep: Dependency): { name: string; marketplace?: string; range?: string } {
  if (typeof dep === 'string') {
    const at = dep.lastIndexOf('@')
    return at > 0
      ? { name: nameShown(dep.slice(0, at)), marketplace: nameShown(dep.slice(at + 1)) }
      : { name: nameShown(dep) }
  }
  return {
    name: nameShown(dep.name),
    ...(dep.marketplace ? { marketplace: nameShown(dep.marketplace) } : {}),
    ...(dep.version ? { range: dep.version } : {}),
  }
}

function nameShown(name: string): string {
  const plain = name.length <= 100 && !/[\s:/\\]/.test(name) && inert(name) === name
  return plain ? name : inertJson(name.length > 60 ? `${name.slice(0, 60)}...` : name)
}
