/**
 * Walks component folders the way Claude Code does:
 * - agents/ and commands/ recursively (any depth up to 32), `*.md` in any letter case, sub-folders
 *   becoming id segments; a folder holding SKILL.md inside commands/ is a skill;
 * - a skills folder one level deep: each sub-folder holding exactly `SKILL.md` is a skill; a skills
 *   path that itself holds SKILL.md is one skill.
 * Every folder looked at is recorded, so the snapshot notices added and removed files. Everything
 * read counts against the plugin's scan budget (scan-limits.ts).
 */
import { readdirSync, realpathSync, statSync } from 'node:fs'
import { basename, dirname, join, relative, sep } from 'node:path'
import { error, warning } from '../common/index.ts'
import { buildComponent, MAX_COMPONENT_BYTES } from './build-component.ts'
import type { ComponentContext, IdSource } from './build-component.ts'
import type { Component } from './model.ts'
import { readBoundedText } from './read-bounded.ts'
import { formatCount, noteGap, spendEntry } from './scan-limits.ts'
import type { ScanBudget } from './scan-limits.ts'
import { walkFolder } from './walk-folder.ts'

export interface ScanState extends ComponentContext {
  components: Component[]
  /** Files and folders whose change makes the snapshot stale. */
  watched: Set<string>
  budget: ScanBudget
}

/** All agents under a folder (the default agents/ folder). */
export function scanAgentFolder(state: ScanState, dir: string): void {
  for (const { file, subdirs } of markdownFiles(state, dir).files) addComponent(state, file, { kind: 'agent', subdirs })
}

/** One agent file listed in plugin.json: no sub-folder segment in its id. */
export function addAgentFile(state: ScanState, file: string): void {
  addComponent(state, file, { kind: 'agent', subdirs: [] })
}

/** All commands under a folder; folders holding SKILL.md become skills. */
export function scanCommandFolder(state: ScanState, dir: string): void {
  const { files, skillDirs } = markdownFiles(state, dir)
  for (const { file, subdirs } of files) addComponent(state, file, { kind: 'command', subdirs })
  for (const skillDir of skillDirs) {
    const subdirs = relative(dir, dirname(skillDir)).split(sep).filter(Boolean)
    addComponent(state, join(skillDir, 'SKILL.md'), {
      kind: 'skill',
      folder: basename(skillDir),
      direct: false,
      subdirs,
    })
  }
}

/** One command file (listed in plugin.json, or a `commands` map entry with `source`). */
export function addCommandFile(state: ScanState, file: string, key?: string, description?: string): void {
  addComponent(
    state,
    file,
    key === undefined ? { kind: 'command', subdirs: [] } : { kind: 'command', subdirs: [], key },
    description,
  )
}

/** A `commands` map entry with inline `content`: a command with no file of its own. */
export function addInlineCommand(
  state: ScanState,
  manifestFile: string,
  key: string,
  content: string,
  description?: string,
): void {
  const component = buildComponent(
    state,
    manifestFile,
    content,
    { kind: 'command', subdirs: [], key },
    description === undefined ? undefined : { description },
  )
  state.components.push(component)
}

/**
 * A skills folder: one skill if it holds SKILL.md itself, else one per sub-folder holding SKILL.md.
 * `seen` holds the real paths of SKILL.md files already read through the plugin's other skills paths.
 */
export function scanSkillFolder(state: ScanState, dir: string, seen = new Set<string>()): void {
  state.watched.add(dir)
  if (isFile(join(dir, 'SKILL.md'))) {
    if (isFirstRead(seen, join(dir, 'SKILL.md')))
      addComponent(state, join(dir, 'SKILL.md'), { kind: 'skill', folder: basename(dir), direct: true })
    return
  }
  let entries: string[]
  try {
    entries = readdirSync(dir).sort()
  } catch {
    return
  }
  for (const entry of entries) {
    if (!spendEntry(state.budget)) return
    const skillFile = join(dir, entry, 'SKILL.md')
    if (!isFile(skillFile)) continue
    state.watched.add(join(dir, entry))
    if (isFirstRead(seen, skillFile)) addComponent(state, skillFile, { kind: 'skill', folder: entry, direct: false })
  }
}

// Most paths asked about are optional (agents/, commands/, a folder's SKILL.md): an absent one is
// answered without an exception, which costs more than the stat.
export function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false
  } catch {
    return false
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false
  } catch {
    return false
  }
}

// --- internal ---

/**
 * Claude Code reads a plugin's skills/ first, then each skills path, and skips a SKILL.md whose
 * real path it has already read (docs/claude-code-notes.md, Ids). So a skills path naming a folder
 * inside skills/ adds nothing: the skill keeps its folder name, not its frontmatter name.
 */
function isFirstRead(seen: Set<string>, skillFile: string): boolean {
  let real: string
  try {
    real = realpathSync.native(skillFile) // one syscall: the JS realpath lstats every component
  } catch {
    real = skillFile
  }
  if (seen.has(real)) return false
  seen.add(real)
  return true
}

function addComponent(state: ScanState, file: string, source: IdSource, description?: string): void {
  state.watched.add(file)
  if (!spendEntry(state.budget)) return
  const read = readBoundedText(file, MAX_COMPONENT_BYTES)
  if (!read.ok) {
    reportUnread(state, file, read.problem, read.size, read.message)
    return
  }
  const tooComplex = frontmatterOverLimit(read.text, state.budget)
  if (tooComplex) {
    state.diagnostics.push(
      error(
        'SCAN_LIMIT_REACHED',
        file,
        `the frontmatter ${tooComplex}, so Switchboard does not parse it: this ${source.kind} is not in the registry and calls to it are refused. Shorten the frontmatter; put long text in the body.`,
      ),
    )
    noteGap(state.budget, `${relative(dirname(dirname(file)), file)}: frontmatter ${tooComplex}`)
    return
  }
  state.components.push(
    buildComponent(state, file, read.text, source, description === undefined ? undefined : { description }),
  )
}

function reportUnread(state: ScanState, file: string, problem: string, size: number, message: string): void {
  if (problem === 'too-large') {
    state.diagnostics.push(
      warning(
        'COMPONENT_TOO_LARGE',
        file,
        `the file is ${size} bytes; Claude Code skips component files over 1 MiB. Move reference material to a separate file the component reads.`,
      ),
    )
  } else if (problem === 'not-a-file') {
    // Claude Code skips these too ("not a regular file or exceeds ... byte limit").
    state.diagnostics.push(
      warning(
        'COMPONENT_NOT_A_FILE',
        file,
        'this is not a regular file (a FIFO, a device, or a link to one), so Claude Code and Switchboard skip it. Remove it or replace it with a markdown file.',
      ),
    )
  } else {
    state.diagnostics.push(
      warning('COMPONENT_UNREADABLE', file, `cannot read the file (${message}); it is skipped. Check its permissions.`),
    )
  }
}

/**
 * YAML parsing time grows fast with the size and nesting of a block (seconds for a 64 KiB block,
 * half a minute for 400,000 nested brackets), so a block past the limits is not parsed. The block
 * ends at the first "---" after the opening one, as Claude Code reads it.
 */
function frontmatterOverLimit(text: string, budget: ScanBudget): string | undefined {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0
  if (!text.startsWith('---', start)) return undefined
  const end = text.indexOf('---', start + 3)
  if (end < 0) return undefined
  const { maxFrontmatterBytes, maxFrontmatterNesting } = budget.limits
  if (end - start > maxFrontmatterBytes) return `is over ${formatCount(maxFrontmatterBytes)} bytes`
  let depth = 0
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x5b || c === 0x7b) {
      if (++depth > maxFrontmatterNesting) return `nests brackets more than ${maxFrontmatterNesting} levels deep`
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--
  }
  return undefined
}

function markdownFiles(
  state: ScanState,
  dir: string,
): { files: Array<{ file: string; subdirs: string[] }>; skillDirs: string[] } {
  state.watched.add(dir)
  const entries = walkFolder(state, dir)
  const skillDirs = entries
    .filter((entry) => entry.endsWith('/SKILL.md') || entry === 'SKILL.md')
    .map((entry) => join(dir, dirname(entry)))
  const skillSet = new Set(skillDirs)
  const insideSkill = (path: string): boolean => {
    for (let p = path.replace(/[/\\]$/, ''); p.length >= dir.length; p = dirname(p)) {
      if (skillSet.has(p)) return true
      if (p === dir) return false
    }
    return false
  }
  const files: Array<{ file: string; subdirs: string[] }> = []
  for (const entry of entries) {
    const path = join(dir, entry)
    if (entry.endsWith('/')) {
      if (!insideSkill(path)) state.watched.add(path.replace(/[/\\]$/, ''))
      continue
    }
    if (!entry.toLowerCase().endsWith('.md') || insideSkill(path)) continue
    files.push({ file: path, subdirs: dirname(entry) === '.' ? [] : dirname(entry).split('/') })
  }
  // A skill folder at the top of commands/ itself (commands/SKILL.md) is not a command folder entry.
  return { files, skillDirs: skillDirs.filter((skillDir) => skillDir !== dir) }
}
