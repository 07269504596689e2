/**
 * A plugin's Switchboard workflows: the `*.yaml` and `*.yml` files of its `workflows/` folder, one
 * level deep, named `<plugin>:<file name without the extension>`. Claude Code reads the same folder
 * for its own Workflow tool scripts, but only `*.js` files there (docs/claude-code-notes.md
 * "Workflows"), so both kinds live side by side. A plugin.json `workflows` path replaces the default
 * folder, as it does for Claude Code. Only listed here; reading and checking a workflow is the
 * workflow domain's (src/workflow/), above the registry.
 */
import { readdirSync } from 'node:fs'
import { join, resolve, relative, sep } from 'node:path'
import type { WorkflowFileRecord } from './model.ts'
import { spendEntry } from './scan-limits.ts'
import type { ScanBudget } from './scan-limits.ts'
import { isDirectory, isFile } from './scan-components.ts'

const WORKFLOW_FILE = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.ya?ml$/

export function scanWorkflows(plugin: string, root: string, paths: string[] | undefined, budget: ScanBudget, watched: Set<string>): WorkflowFileRecord[] {
  const folders = (paths ?? ['workflows']).map((p) => resolve(root, p)).filter((dir) => {
    const inside = relative(root, dir)
    return inside !== '..' && !inside.startsWith(`..${sep}`)
  })
  const found = new Map<string, WorkflowFileRecord>()
  for (const dir of folders) {
    watched.add(dir)
    if (!isDirectory(dir)) continue
    let entries: string[]
    try {
      entries = readdirSync(dir).sort()
    } catch {
      continue
    }
    for (const entry of entries) {
      if (!spendEntry(budget)) return [...found.values()]
      const match = WORKFLOW_FILE.exec(entry)
      const file = join(dir, entry)
      if (!match || found.has(match[1]!) || !isFile(file)) continue
      found.set(match[1]!, { id: `${plugin}:${match[1]}`, name: match[1]!, file })
    }
  }
  return [...found.values()]
}
