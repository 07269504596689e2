export { checkPluginManifest } from './check-plugin-manifest.ts'

export { readComponentFrontmatter } from './component-frontmatter.ts'
export type { ComponentKind } from './component-frontmatter.ts'
export { contractToJsonSchema, isJsonSchema } from './contract.ts'
export type { Contract } from './contract.ts'
export { FrontmatterOverLimit, parseFrontmatter, UNCLOSED_BLOCK, unreadFrontmatter } from './frontmatter.ts'
export type { Frontmatter } from './frontmatter.ts'
export { HOOK_EVENTS, HOOK_HANDLER_TYPES, HookMatcherGroupSchema } from './hooks-config.ts'

export { describeSource, MarketplaceEntrySchema, MarketplaceSchema, PluginSourceSchema } from './marketplace.ts'

export { OrchestrationSchema, PLUGIN_ORCHESTRATION_FILE, PluginOrchestrationSchema } from './orchestration.ts'
export type { Orchestration, PluginOrchestration } from './orchestration.ts'
export { normaliseDependency } from './plugin-manifest.ts'
export type { PluginManifest } from './plugin-manifest.ts'
export { parseToolList, splitTools } from './tools.ts'
export { aliasExpansion, duplicateKey, lineAndColumn } from './yaml-keys.ts'
export { parseYamlBounded, YAML_TOO_SLOW } from './yaml-parse.ts'
