/**
 * Reading plugin.json the way Claude Code 2.1.331 loads it:
 * - unknown top-level keys are stripped (a `validate --strict` failure, not a load failure);
 * - a bad value in one of the soft fields (SOFT_FIELDS) drops that field and the plugin loads
 *   (2.1.197 refused the whole plugin for these, so they are still reported);
 * - any other schema error refuses the whole plugin: none of its components exist.
 */
import { error, issueMessage, issuePath, warning } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import { KEBAB_CASE } from './names.ts'
import { KNOWN_MANIFEST_KEYS, PluginManifestSchema } from './plugin-manifest.ts'
import type { PluginManifest } from './plugin-manifest.ts'
import { plainManifest } from './plain-manifest.ts'

const SOFT_FIELDS: ReadonlySet<string> = new Set([
  '$schema',
  'displayName',
  'description',
  'author',
  'homepage',
  'repository',
  'license',
  'keywords',
])

export interface ManifestCheck {
  /** The manifest as Claude Code keeps it, or null when it refuses the plugin. */
  manifest: PluginManifest | null
  /** Why Claude Code refuses to load the plugin, in its words plus the fix. */
  fatal: string | null
  diagnostics: Diagnostic[]
}

/** Checks a parsed plugin.json (or a marketplace entry used as one) and says what Claude Code does with it. */
export function checkPluginManifest(raw: unknown, file: string): ManifestCheck {
  const diagnostics: Diagnostic[] = []
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const fatal = 'plugin.json must be a JSON object such as { "name": "my-plugin" }.'
    return {
      manifest: null,
      fatal,
      diagnostics: [error('PLUGIN_NOT_LOADED', file, `Claude Code refuses this plugin: ${fatal}`)],
    }
  }
  // Most manifests are plainly valid: read without zod (plain-manifest.ts), which still decides the rest.
  const plain = plainManifest(raw as Record<string, unknown>)
  if (plain)
    return { manifest: plain, fatal: null, diagnostics: lintManifest(raw as Record<string, unknown>, plain, file) }
  const value: Record<string, unknown> = { ...(raw as Record<string, unknown>) }
  let result = PluginManifestSchema.safeParse(value)
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? '')
      if (!SOFT_FIELDS.has(field) || !(field in value)) continue
      delete value[field]
      diagnostics.push(
        warning(
          'MANIFEST_FIELD_DROPPED',
          file,
          `${issueMessage(issue)}. Claude Code 2.1.331 ignores this field and still loads the plugin; 2.1.197 refuses the whole plugin.`,
          issuePath(issue),
        ),
      )
    }
    result = PluginManifestSchema.safeParse(value)
  }
  if (!result.success) {
    const reasons = result.error.issues.map((issue) => `${issuePath(issue) || '(root)'}: ${issueMessage(issue)}`)
    for (const issue of result.error.issues) {
      diagnostics.push(
        error(
          'PLUGIN_NOT_LOADED',
          file,
          `Claude Code refuses this plugin, so none of its components exist: ${issueMessage(issue)}.`,
          issuePath(issue) || undefined,
        ),
      )
    }
    return { manifest: null, fatal: `invalid manifest: ${reasons.join('; ')}`, diagnostics }
  }
  diagnostics.push(...lintManifest(raw as Record<string, unknown>, result.data, file))
  return { manifest: result.data, fatal: null, diagnostics }
}

// --- internal ---

/** What `claude plugin validate --strict` would fail on, though the plugin loads. */
function lintManifest(raw: Record<string, unknown>, manifest: PluginManifest, file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = []
  for (const key of Object.keys(raw)) {
    if (!KNOWN_MANIFEST_KEYS.has(key)) {
      diagnostics.push(
        warning(
          'MANIFEST_UNKNOWN_KEY',
          file,
          `unknown field "${key}": Claude Code ignores it and \`claude plugin validate --strict\` fails. Remove it, or move Switchboard settings to .claude-plugin/switchboard.json.`,
          key,
        ),
      )
    }
  }
  // "other@^1.2.0" reads as plugin "other" from a marketplace named "^1.2.0": the range is lost.
  manifest.dependencies?.forEach((dep, index) => {
    const at = typeof dep === 'string' ? dep.lastIndexOf('@') : -1
    if (typeof dep !== 'string' || at <= 0 || !/^[\^~<>=*\d]/.test(dep.slice(at + 1))) return
    diagnostics.push(
      warning(
        'DEPENDENCY_RANGE_AS_MARKETPLACE',
        file,
        `"${dep}" names plugin "${dep.slice(0, at)}" from a marketplace called "${dep.slice(at + 1)}": after "@" comes a marketplace, not a version. Write { "name": "${dep.slice(0, at)}", "version": "${dep.slice(at + 1)}" }.`,
        `dependencies.${index}`,
      ),
    )
  })
  if (!KEBAB_CASE.test(manifest.name)) {
    diagnostics.push(
      warning(
        'MANIFEST_NAME_NOT_KEBAB',
        file,
        `plugin name "${manifest.name}" is not kebab-case; use lower-case words joined by "-", e.g. "code-review".`,
        'name',
      ),
    )
  }
  return diagnostics
}
