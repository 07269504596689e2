/**
 * A plugin's manifest as Claude Code resolves it: plugin.json, the marketplace entry (with or without
 * `strict`), which of their component paths replace the default folders and which add to them, and
 * what makes Claude Code refuse the whole plugin. load-plugin.ts reads the plugin with it.
 */
import { basename } from 'node:path'
import { error, issueMessage, issuePath } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import { checkPluginManifest, MarketplaceEntrySchema } from '../manifest/index.ts'
import type { PluginManifest } from '../manifest/index.ts'
import { byteOrderMarkWarning } from './byte-order-mark.ts'
import { readJsonFile } from './read-json.ts'
import { noteGap } from './scan-limits.ts'
import type { ScanBudget } from './scan-limits.ts'
import { isFile } from './scan-components.ts'
import type { PluginCandidate } from './load-plugin.ts'

/** A plugin folder found by discovery, before it is read. */

const ENTRY_METADATA = [
  'displayName',
  'description',
  'author',
  'homepage',
  'repository',
  'license',
  'keywords',
] as const
const COMPONENT_KEYS = ['commands', 'agents', 'skills', 'hooks', 'outputStyles', 'themes'] as const

export interface ResolvedManifest {
  manifest: PluginManifest | null
  /** Component paths from plugin.json (they replace default folders) ... */
  own: Partial<PluginManifest>
  /** ... and from the marketplace entry (they add to them). */
  fromEntry: Partial<PluginManifest>
  hasManifestFile: boolean
  fatal: string | null
  fatalFile?: string
  fallbackName: string
}

export function resolveManifest(
  candidate: PluginCandidate,
  manifestFile: string,
  diagnostics: Diagnostic[],
  budget: ScanBudget,
  /** The plugin root's listing shows no .claude-plugin/: plugin.json is missing, and not opened. */
  noPluginFolder = false,
): ResolvedManifest {
  const fallbackName =
    typeof (candidate.entry as { name?: unknown })?.name === 'string'
      ? (candidate.entry as { name: string }).name
      : basename(candidate.root)
  const base = { own: {}, fromEntry: {}, fallbackName }
  const entry = readEntry(candidate, diagnostics)
  if (entry === 'invalid')
    return {
      ...base,
      manifest: null,
      hasManifestFile: isFile(manifestFile),
      fatal: 'its marketplace entry is invalid',
      fatalFile: candidate.entryFile,
    }

  const read = noPluginFolder ? undefined : readJsonFile(manifestFile, 'PLUGIN_MANIFEST_UNREADABLE', budget.limits)
  if (read && !read.ok && read.overLimit) {
    // Not read, so nothing is known of its components; the plugin keeps the folder (or entry) name.
    diagnostics.push(read.diagnostic)
    noteGap(budget, `.claude-plugin/plugin.json not read: ${read.diagnostic.message}`)
    return { ...base, manifest: null, hasManifestFile: true, fatal: null }
  }
  if (read && !read.ok && !read.missing) {
    return {
      ...base,
      manifest: null,
      hasManifestFile: true,
      fatal: `corrupt manifest file: ${read.diagnostic.message}`,
    }
  }
  if (!read?.ok) {
    // No plugin.json: the marketplace entry is the manifest, else the folder name is the plugin name.
    const synthetic = entry ? withoutEntryOnlyKeys(entry) : { name: basename(candidate.root) }
    const check = checkPluginManifest(synthetic, candidate.entryFile ?? manifestFile)
    diagnostics.push(...check.diagnostics)
    return {
      ...base,
      manifest: check.manifest,
      hasManifestFile: false,
      fatal: check.fatal,
      fromEntry: check.manifest ? pickComponents(check.manifest) : {},
    }
  }
  const check = checkPluginManifest(read.value, manifestFile)
  diagnostics.push(...check.diagnostics)
  if (read.byteOrderMark)
    diagnostics.push(byteOrderMarkWarning(manifestFile, 'refuses the plugin as a corrupt manifest'))
  if (!check.manifest) return { ...base, manifest: null, hasManifestFile: true, fatal: check.fatal }
  if (entry && entry.strict === false && COMPONENT_KEYS.some((key) => key in entry)) {
    return {
      ...base,
      manifest: check.manifest,
      hasManifestFile: true,
      fatalFile: candidate.entryFile,
      fatal:
        'conflicting manifests: both plugin.json and the marketplace entry (strict: false) specify components. Set "strict": true in the entry or remove the component lists from one of them',
    }
  }
  const merged: PluginManifest = entry ? { ...check.manifest } : check.manifest
  if (entry)
    for (const key of ENTRY_METADATA) if (entry[key] !== undefined) Object.assign(merged, { [key]: entry[key] })
  // The common case, written out: a literal with a spread is built key by key at run time (measured).
  return {
    manifest: merged,
    own: pickComponents(check.manifest),
    fromEntry: entry ? pickComponents(entry) : {},
    hasManifestFile: true,
    fatal: null,
    fallbackName,
  }
}

function readEntry(
  candidate: PluginCandidate,
  diagnostics: Diagnostic[],
): (PluginManifest & { strict?: boolean }) | null | 'invalid' {
  if (candidate.entry === undefined) return null
  const parsed = MarketplaceEntrySchema.safeParse(candidate.entry)
  if (parsed.success) return parsed.data as PluginManifest & { strict?: boolean }
  for (const issue of parsed.error.issues) {
    diagnostics.push(
      error(
        'MARKETPLACE_ENTRY_INVALID',
        candidate.entryFile ?? candidate.root,
        `${issueMessage(issue)}. Claude Code cannot install this entry.`,
        issuePath(issue, `plugins[${fallbackLabel(candidate)}]`),
      ),
    )
  }
  return 'invalid'
}

/** Keys only a marketplace entry has; not "unknown" when the entry stands in for plugin.json. */
const ENTRY_ONLY_KEYS = ['source', 'strict', 'category', 'tags', 'relevance', 'headers', 'headersHelper']

function withoutEntryOnlyKeys(entry: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).filter(([key]) => !ENTRY_ONLY_KEYS.includes(key)))
}

function fallbackLabel(candidate: PluginCandidate): string {
  const name = (candidate.entry as { name?: unknown })?.name
  return typeof name === 'string' ? name : basename(candidate.root)
}

function pickComponents(source: Partial<PluginManifest>): Partial<PluginManifest> {
  const picked: Partial<PluginManifest> = {}
  for (const key of ['commands', 'agents', 'skills', 'hooks'] as const)
    if (source[key] !== undefined) Object.assign(picked, { [key]: source[key] })
  return picked
}
