/**
 * A bounded walk of one component folder (agents/, commands/): every entry below it, folders marked
 * with a trailing "/", hidden names included, linked files left out as Claude Code leaves them, folder
 * links followed as before (Claude Code's code reads as if it does not: not yet probed), within the plugin's
 * scan budget. A link back to a folder above it (a -> .) is a loop: reported and not followed. Only
 * a link can make a loop, so the device and inode of the folders on the way down are read (and kept)
 * only when the walk meets a folder link: a plain tree costs no stat at all. Folders past the depth
 * limit are not read; Claude Code stops there too ("Skipping plugin directory beyond depth 32").
 */
import { readdirSync, statSync } from 'node:fs'
import type { Dirent, Stats } from 'node:fs'
import { join, relative } from 'node:path'
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
  /** The entries that are not folders and that the listing did not show as regular files: links, FIFOs. */
  irregular: Set<string>
}

export function walkFolder(context: WalkContext, root: string): WalkedFolder {
  const entries: string[] = []
  const irregular = new Set<string>()
  // A root that is no folder fails to list, and lists nothing: no stat of it first.
  const walk: Walk = { context, root, entries, irregular, ancestors: [root], ids: new Map(), reportedDepth: false }
  readFolder(walk, root, [])
  return { entries: entries.sort(), irregular }
}

// --- internal ---

interface Walk {
  context: WalkContext
  root: string
  entries: string[]
  irregular: Set<string>
  /** The folders from the root down to the one being read. */
  ancestors: string[]
  /** Device and inode of folders, read when a link needs them. */
  ids: Map<string, string>
  reportedDepth: boolean
}

function readFolder(walk: Walk, dir: string, segments: string[]): void {
  let children: Dirent[]
  try {
    children = readdirSync(dir, { withFileTypes: true })
  } catch {
    return // unreadable folders are skipped, as Claude Code does
  }
  for (const child of children) {
    // Hidden names too: Claude Code loads agents/.spy.md (2.1.197 and 2.1.332, found by review).
    if (!spendEntry(walk.context.budget)) return
    const path = join(dir, child.name)
    const relativePath = [...segments, child.name].join('/')
    const stats = child.isSymbolicLink() ? statOrUndefined(path) : undefined
    const isFolder = child.isDirectory() || stats?.isDirectory() === true
    // A linked file Claude Code does not load (it takes readdir's file types; 2.1.197 ran the real agent
    // past a linked decoy of its name, found by review): listed, it would stand for what Claude Code runs.
    if (!isFolder && child.isSymbolicLink() && stats?.isFile()) {
      reportLinkedFile(walk, path)
      continue
    }
    if (!isFolder) {
      walk.entries.push(relativePath) // a broken link too: reading it reports the problem
      if (!child.isFile()) walk.irregular.add(relativePath)
      continue
    }
    if (stats) {
      // A folder link: a loop when it is one of the folders on the way down.
      const id = identity(stats)
      const loop = walk.ancestors.findIndex((ancestor) => idOf(walk, ancestor) === id)
      if (loop >= 0) {
        reportLoop(walk, path, loop, segments)
        continue
      }
      walk.ids.set(path, id)
    }
    walk.entries.push(`${relativePath}/`)
    if (segments.length + 1 >= walk.context.budget.limits.maxDepth) {
      reportDepth(walk, path)
      continue
    }
    walk.ancestors.push(path)
    readFolder(walk, path, [...segments, child.name])
    walk.ancestors.pop()
  }
}

function reportLoop(walk: Walk, link: string, ancestorIndex: number, segments: string[]): void {
  const target = join(walk.root, ...segments.slice(0, ancestorIndex))
  walk.context.diagnostics.push(
    warning(
      'SCAN_SYMLINK_LOOP',
      link,
      `this link leads back to ${relative(walk.root, target) || '.'} in ${walk.root}, a folder above it, so Switchboard does not follow it (the files there are listed once). Remove the symlink loop.`,
    ),
  )
}

function reportLinkedFile(walk: Walk, link: string): void {
  if (!link.toLowerCase().endsWith('.md')) return
  walk.context.diagnostics.push(
    warning(
      'COMPONENT_LINK_SKIPPED',
      link,
      'this component file is a symbolic link, which Claude Code does not load, so it is not in the registry either. Copy the file here instead of linking it.',
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

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path)
  } catch {
    return undefined
  }
}

function idOf(walk: Walk, folder: string): string {
  let id = walk.ids.get(folder)
  if (id === undefined) {
    id = identity(statOrUndefined(folder))
    walk.ids.set(folder, id)
  }
  return id
}

function identity(stats: Stats | undefined): string {
  return stats ? `${stats.dev}:${stats.ino}` : ''
}
