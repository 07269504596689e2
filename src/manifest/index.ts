export { checkPluginManifest, SOFT_FIELDS } from './check-plugin-manifest.ts'
export type { ManifestCheck } from './check-plugin-manifest.ts'
export { readComponentFrontmatter } from './component-frontmatter.ts'
export type { ComponentKind, FieldProblem } from './component-frontmatter.ts'
export { contractToJsonSchema, ContractSchema, isJsonSchema, isTextContract, shortFormProblems } from './contract.ts'
export type { Contract, JsonSchema } from './contract.ts'
export { parseFrontmatter } from './frontmatter.ts'
export type { Frontmatter, FrontmatterStatus } from './frontmatter.ts'
export { HOOK_EVENTS, HookEventMapSchema, HookMatcherGroupSchema, HooksFileSchema } from './hooks-config.ts'
export type { HooksFile } from './hooks-config.ts'
export { describeSource, MarketplaceEntrySchema, MarketplaceSchema, PluginSourceSchema } from './marketplace.ts'
export type { Marketplace, MarketplaceEntry, PluginSource } from './marketplace.ts'
export { KEBAB_CASE, SLOT_NAME } from './names.ts'
export { OrchestrationSchema, PLUGIN_ORCHESTRATION_FILE, PluginOrchestrationSchema } from './orchestration.ts'
export type { Orchestration, PluginOrchestration } from './orchestration.ts'
export {
  DependencySchema,
  KNOWN_MANIFEST_KEYS,
  normaliseDependency,
  PluginManifestFieldsSchema,
  PluginManifestSchema,
} from './plugin-manifest.ts'
export type { Dependency, PluginManifest } from './plugin-manifest.ts'
export { ALL_TOOLS, parseToolList, splitTools } from './tools.ts'
