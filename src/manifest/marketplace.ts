/**
 * `.claude-plugin/marketplace.json`, as Claude Code reads it: lenient about extra keys (others write
 * it), exact about the `source` forms, because a registry must know which entries have their files
 * on this disk (a relative path) and which live elsewhere (github, url, git-subdir, npm, archive,
 * command). Facts: docs/claude-code-notes.md.
 */
import { z } from 'zod'
import { PluginManifestSchema } from './plugin-manifest.ts'

const GitRef = { ref: z.string().optional(), sha: z.string().optional() }

export const PluginSourceSchema = z.union(
  [
    z.string().min(1, 'source is a path such as "./plugins/my-plugin"'),
    z.looseObject({ source: z.literal('github'), repo: z.string(), ...GitRef }),
    z.looseObject({ source: z.literal('url'), url: z.string(), ...GitRef }),
    z.looseObject({ source: z.literal('git-subdir'), url: z.string(), path: z.string(), ...GitRef }),
    z.looseObject({
      source: z.literal('npm'),
      package: z.string(),
      version: z.string().optional(),
      registry: z.string().optional(),
    }),
    z.looseObject({ source: z.literal('archive'), url: z.string(), sha256: z.string().optional() }),
    z.looseObject({
      source: z.literal('command'),
      command: z.string(),
      timeout: z.number().optional(),
      mode: z.string().optional(),
    }),
  ],
  {
    error:
      'source is a relative path ("./plugins/x") or an object whose "source" is github {repo}, url {url}, git-subdir {url, path}, npm {package}, archive {url} or command {command}',
  },
)
export type PluginSource = z.infer<typeof PluginSourceSchema>

/** A marketplace entry: any plugin.json field, plus where the plugin comes from and `strict`. */
export const MarketplaceEntrySchema = PluginManifestSchema.extend({
  source: PluginSourceSchema,
  strict: z
    .boolean({ error: 'strict is true (plugin.json is authoritative) or false (this entry is the whole definition)' })
    .optional(),
  category: z.string().optional(),
  tags: z.array(z.string()).optional(),
})

export const MarketplaceSchema = z.looseObject({
  $schema: z.string().optional(),
  name: z.string({ error: 'a marketplace needs a "name", e.g. "acme-tools"' }).min(1),
  owner: z.looseObject({ name: z.string().optional() }).optional(),
  metadata: z
    .looseObject({
      pluginRoot: z.string().optional(),
      version: z.string().optional(),
      description: z.string().optional(),
    })
    .optional(),
  // Entries are checked one by one (see loadMarketplace) so that one bad entry does not hide the rest.
  plugins: z.array(z.unknown(), { error: 'plugins is a list of plugin entries' }),
})

/** Where an entry's files are: on this disk (`local`, a folder relative to the marketplace) or elsewhere. */
export function describeSource(source: PluginSource): { local: string } | { remote: string } {
  if (typeof source === 'string') return { local: source }
  switch (source.source) {
    case 'github':
      return { remote: `github ${source.repo}` }
    case 'url':
    case 'archive':
      return { remote: `${source.source} ${source.url}` }
    case 'git-subdir':
      return { remote: `git-subdir ${source.url} ${source.path}` }
    case 'npm':
      return { remote: `npm ${source.package}` }
    case 'command':
      return { remote: `command ${source.command}` }
  }
}
