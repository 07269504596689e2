/**
 * A plugin's Switchboard workflows: the `*.yaml` and `*.yml` files of its `workflows/` folder, one
 * level deep, named `<plugin>:<file name without the extension>`. Claude Code reads the same folder
 * for its own Workflow tool scripts, but only `*.js` files there (docs/claude-code-notes.md
 * "Workflows"), so both kinds live side by side. A plugin.json `workflows` path replaces the default
 * folder, as it does for Claude Code. Only listed here; reading and checking a workflow is the
 * workflow domain's (src/workflow/), above the registry. Each file is also parsed from YAML here (on
 * Node) and stored as its JSON value, so the hooks module, which has no YAML parser, runs plugin
 * workflows from the snapshot; the file itself is watched, so an edit rebuilds the snapshot.
 */
import { readdirSync, statSync } from 'node:fs'
import { basename, join, resolve, relative, sep } from 'node:path'
import { warning, yamlMessage } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import type { WorkflowFileRecord } from './model.ts'
import { spendEntry } from './scan-limits.ts'
import type { ScanBudget } from './scan-limits.ts'
import { isFile } from './scan-components.ts'
import type { FolderListing } from './scan-components.ts'
import { readTextNoWait } from './read-bounded.ts'
import { aliasExpansion, duplicateKey, lineAndColumn, parseYamlBounded, YAML_TOO_SLOW } from '../manifest/index.ts'

const WORKFLOW_FILE = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.ya?ml$/

export function scanWorkflows(
  plugin: string,
  root: string,
  top: FolderListing,
  paths: string[] | undefined,
  budget: ScanBudget,
  watched: Set<string>,
  diagnostics: Diagnostic[],
): WorkflowFileRecord[] {
  // The default folder, where absent (most plugins), costs nothing more than the root's listing.
  const folders = (paths ?? (top.isDirectory('workflows') ? ['workflows'] : []))
    .map((p) => resolve(root, p))
    .filter((dir) => {
      const inside = relative(root, dir)
      return inside !== '..' && !inside.startsWith(`..${sep}`)
    })
  const found = new Map<string, WorkflowFileRecord>()
  const add = (file: string, entry: string, siblings: readonly string[] = []): void => {
    const match = WORKFLOW_FILE.exec(entry)
    if (!match) {
      // The file name is the workflow's id (`<plugin>:<name>`), so it follows the id's rule.
      const suggested = entry
        .replace(/\.ya?ml$/, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
      // Not a name another workflow of the folder has (found by a newcomer: `Publish Note.yaml` was told to become
      // publish-note.yaml, which was there).
      const taken = siblings.some((name) => name === `${suggested}.yaml` || name === `${suggested}.yml`)
      diagnostics.push(
        warning(
          'WORKFLOW_NAME_INVALID',
          file,
          `this workflow is not listed: its file name is its id (${plugin}:<name>), which must be kebab-case. Rename it${!suggested ? '' : taken ? ` (${suggested}.yaml is taken: pick another kebab-case name)` : ` to ${suggested}.yaml`}.`,
        ),
      )
      return
    }
    if (found.has(match[1]!)) return
    watched.add(file)
    found.set(match[1]!, { id: `${plugin}:${match[1]}`, name: match[1]!, file, ...readDocument(file) })
  }
  for (const dir of folders) {
    watched.add(dir)
    let entries: string[]
    try {
      // A path that is no folder fails to list: no stat of it first.
      entries = readdirSync(dir).sort()
    } catch {
      // plugin.json may name a workflow file itself.
      if (/\.ya?ml$/.test(dir) && isFile(dir)) add(dir, basename(dir))
      else if (paths)
        diagnostics.push(
          warning(
            'WORKFLOW_PATH_MISSING',
            join(root, '.claude-plugin', 'plugin.json'),
            `workflows names ${relative(root, dir) || '.'}, which is neither a folder nor a .yaml file of the plugin, so no workflow is read from it. Fix the path.`,
            'workflows',
          ),
        )
      continue
    }
    for (const entry of entries) {
      if (!spendEntry(budget)) return [...found.values()]
      if (!/\.ya?ml$/.test(entry)) continue
      const file = join(dir, entry)
      if (isFile(file)) add(file, entry, entries)
    }
  }
  return [...found.values()]
}

/** A workflow file is small (src/workflow/read-file.ts MAX_WORKFLOW_BYTES); a larger one is left to `workflow check` to report. */
const MAX_BYTES = 256 * 1024
/** What a workflow may expand to once its YAML aliases are resolved: it is stored so in the snapshot. */
const MAX_EXPANDED_CHARS = 4 * MAX_BYTES

/** The file's YAML as a JSON value, or why not; the same parser options as src/workflow/read-file.ts. */
function readDocument(file: string): Pick<WorkflowFileRecord, 'document' | 'problem'> {
  try {
    if (statSync(file).size > MAX_BYTES)
      return { problem: `the file is over ${MAX_BYTES} bytes; run switchboard workflow check on it.` }
    const text = readTextNoWait(file, MAX_BYTES)
    const document = parseYamlBounded(text)
    if (!document) return { problem: `${YAML_TOO_SLOW}. Run switchboard workflow check on it.` }
    const error = document.errors[0]
    if (error)
      return {
        problem: `line ${lineAndColumn(text, error.pos[0]).line}: ${yamlMessage(error)}. Run switchboard workflow check on it.`,
      }
    const twice = duplicateKey(document)
    if (twice)
      return {
        problem: `line ${lineAndColumn(text, twice.offset).line}: Map keys must be unique ("${twice.key}" is given twice). Run switchboard workflow check on it.`,
      }
    const value = document.toJS({ maxAliasCount: 100 }) as unknown
    const expanded = aliasExpansion(text, value, MAX_EXPANDED_CHARS)
    if (expanded !== undefined)
      return {
        problem: `its aliases expand it to ${expanded} characters (at most ${MAX_EXPANDED_CHARS}); write the values out instead of *aliases. Run switchboard workflow check on it.`,
      }
    return { document: value }
  } catch (thrown) {
    return { problem: `cannot read it (${(thrown as Error).message}). Run switchboard workflow check on it.` }
  }
}
