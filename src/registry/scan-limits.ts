/**
 * How much of one plugin the registry reads. A plugin is someone else's folder: a symlink loop,
 * a plugin.json of 100,000 entries or a 50 MB file must not stop the registry from being built,
 * or the session has no snapshot and the guard has nothing to check calls against. Every limit
 * is far above what real plugins use (over the 192 corpus plugins: at most 367 entries, 4 folder
 * levels, 364 JSON values in a plugin.json, 3,204 in a marketplace.json, 2.4 KB of frontmatter).
 */
export interface ScanLimits {
  /** Folder levels below a component folder. Claude Code stops at 32 too ("beyond depth 32"). */
  maxDepth: number
  /** Files and folders looked at in one plugin, paths listed in its plugin.json included. */
  maxEntries: number
  /** Wall-clock time for one plugin, for slow or hanging disks. */
  maxMillis: number
  /** plugin.json, hooks.json, switchboard.json, marketplace.json and Claude Code's own JSON files. */
  maxJsonBytes: number
  /** Nesting of arrays and objects in one JSON file. */
  maxJsonDepth: number
  /** Values (array items, object members) in one JSON file. */
  maxJsonValues: number
  /** The frontmatter block of a component file (YAML parsing is slow on large or nested blocks). */
  maxFrontmatterBytes: number
  /** Nesting of `[` and `{` in a frontmatter block. */
  maxFrontmatterNesting: number
}

export const SCAN_LIMITS: Readonly<ScanLimits> = {
  maxDepth: 32,
  maxEntries: 10_000,
  maxMillis: 3_000,
  maxJsonBytes: 4 * 1024 * 1024,
  maxJsonDepth: 64,
  maxJsonValues: 50_000,
  maxFrontmatterBytes: 16 * 1024,
  maxFrontmatterNesting: 32,
}

/** What is left of one plugin's limits while it is read. */
export interface ScanBudget {
  readonly limits: ScanLimits
  readonly deadline: number
  entries: number
  /** Why the scan stopped early (entries or time), or null. Nothing more is read once it is set. */
  stopped: string | null
  /** The first thing left unread (a file over a limit), or null. */
  gap: string | null
}

export function startBudget(limits: ScanLimits = SCAN_LIMITS): ScanBudget {
  return { limits, deadline: Date.now() + limits.maxMillis, entries: 0, stopped: null, gap: null }
}

/** Counts one entry (a folder entry read, a listed path, a file opened); false once the budget is spent. */
export function spendEntry(budget: ScanBudget): boolean {
  if (budget.stopped !== null) return false
  budget.entries++
  if (budget.entries > budget.limits.maxEntries)
    budget.stopped = `scan stopped after ${formatCount(budget.limits.maxEntries)} entries`
  else if (Date.now() >= budget.deadline)
    budget.stopped = `scan stopped after ${formatCount(budget.limits.maxMillis)} ms`
  return budget.stopped === null
}

/** Records that something was left unread; the first gap names the plugin's state. */
export function noteGap(budget: ScanBudget, what: string): void {
  budget.gap ??= what
}

export function formatCount(n: number): string {
  return n.toLocaleString('en')
}
