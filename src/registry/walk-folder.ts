/**
 * A bounded walk of one component folder (agents/, commands/): every entry below it, folders marked
 * with a trailing "/", hidden names included, and no symbolic link followed or listed, as Claude Code
 * walks them (2.1.197 and 2.1.332, probed 2026-12-01: an agent under a linked folder or a linked file is
 * not loaded), within the plugin's scan budget. With no link followed there is no loop to meet. Folders
 * past the depth limit are not read; Claude Code stops there too ("Skipping plugin directory beyond depth 32").
 */
import { readdirSync } from 'node:fs'
import type { Dirent } from 'node:fs'
import { join } from 'node:path'
import { warning } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import { spendEntry } from './scan-limits.ts'
import type { ScanBudget } from './scan-limits.ts'

export interface WalkContext {
  budget: ScanBudget
  diagnostics: Diagnostic[]
}

export interface WalkedFolder {
  /** Entries relative to `root`, "/"-separated, sorted; folders end with "/". */
  entries: string[]
  /** The entries that are not folders and that the listing did not show as regular files: FIFOs, devices. */
  irregular: Set<string>
}

export function walkFolder(context: WalkContext, root: string): WalkedFolder {
  const entries: string[] = []
  const irregular = new Set<string>()
  // A root that is no folder fails to list, and lists nothing: no stat of it first.
  const walk: Walk = { context, root, entries, irregular, reportedDepth: false }
  readFolder(walk, root, [])
  return { entries: entries.sort(), irregular }
}

// --- internal ---

interface Walk {
  context: WalkContext
  root: string
  entries: string[]
  irregular: Set<string>
  reportedDepth: boolean
}

function readFolder(walk: Walk, dir: string, segments: string[]): void {
  let children: Dirent[]
  try {
    children = readdirSync(dir, { withFileTypes: true })
  } catch {
    return // unreadable folders are skipped, as Claude Code does
  }
  // Most entries are files: their relative path is the folder's and the name, with no path joined.
  const prefix = segments.length === 0 ? '' : `${segments.join('/')}/`
  for (const child of children) {
    // Hidden names too: Claude Code loads agents/.spy.md (2.1.197 and 2.1.332, found by review).
    if (!spendEntry(walk.context.budget)) return
    const relativePath = prefix + child.name
    // A link Claude Code does not follow (it takes readdir's file types): listed, what it leads to would
    // stand for what Claude Code runs (2.1.197 ran the real agent past a linked decoy, found by review).
    if (child.isSymbolicLink()) {
      reportLink(walk, join(dir, child.name))
      continue
    }
    if (!child.isDirectory()) {
      walk.entries.push(relativePath)
      if (!child.isFile()) walk.irregular.add(relativePath)
      continue
    }
    walk.entries.push(`${relativePath}/`)
    if (segments.length + 1 >= walk.context.budget.limits.maxDepth) {
      reportDepth(walk, join(dir, child.name))
      continue
    }
    readFolder(walk, join(dir, child.name), [...segments, child.name])
  }
}

function reportLink(walk: Walk, link: string): void {
  walk.context.diagnostics.push(
    warning(
      'COMPONENT_LINK_SKIPPED',
      link,
      'this is a symbolic link, which Claude Code does not follow in a component folder, so what it leads to is not in the registry either. Copy the file or folder here instead of linking it.',
    ),
  )
}

function reportDepth(walk: Walk, dir: string): void {
  if (walk.reportedDepth) return
  walk.reportedDepth = true
  walk.context.diagnostics.push(
    warning(
      'SCAN_TOO_DEEP',
      dir,
      `this folder is ${walk.context.budget.limits.maxDepth} levels below ${walk.root}; neither Claude Code nor Switchboard reads folders deeper than that, so nothing below it is loaded. Move the files up.`,
    ),
  )
}
