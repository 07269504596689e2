/**
 * Walks component folders the way Claude Code does:
 * - agents/ and commands/ recursively (any depth up to 32), `*.md` in any letter case, sub-folders
 *   becoming id segments; a folder holding SKILL.md inside commands/ is a skill;
 * - a skills folder one level deep: each sub-folder holding exactly `SKILL.md` is a skill; a skills
 *   path that itself holds SKILL.md is one skill.
 * Every folder looked at is recorded, so the snapshot notices added and removed files. Everything
 * read counts against the plugin's scan budget (scan-limits.ts).
 */
import { readsArgumentsInShell } from './shell-arguments.ts'
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs'
import type { Dirent } from 'node:fs'
import { basename, dirname, join, relative, sep } from 'node:path'
import { error, warning } from '../common/index.ts'
import { FrontmatterOverLimit } from '../manifest/index.ts'
import { buildComponent, MAX_COMPONENT_BYTES } from './build-component.ts'
import type { ComponentContext, IdSource } from './build-component.ts'
import type { Component } from './model.ts'
import { componentText } from './component-text.ts'
import { byteOrderMarkWarning, startsWithByteOrderMark } from './byte-order-mark.ts'
import { readBounded, readBoundedBorrowed, readListedFile } from './read-bounded.ts'
import type { BytesRead } from './read-bounded.ts'
import { formatCount, noteGap, spendEntry } from './scan-limits.ts'
import type { ScanBudget } from './scan-limits.ts'
import { walkFolder } from './walk-folder.ts'
import { childPath, normalFolder } from './child-path.ts'

export interface ScanState extends ComponentContext {
  components: Component[]
  /** Files and folders whose change makes the snapshot stale. */
  watched: Set<string>
  budget: ScanBudget
}

/** All agents under a folder (the default agents/ folder). */
export function scanAgentFolder(state: ScanState, dir: string): void {
  // No skill folders here: Claude Code's agents walk reads every .md, SKILL.md included (found by review).
  for (const { file, subdirs, listedAsFile } of markdownFiles(state, dir, false).files)
    addComponent(state, file, { kind: 'agent', subdirs }, { listedAsFile })
}

/** One agent file listed in plugin.json: no sub-folder segment in its id. */
export function addAgentFile(state: ScanState, file: string): void {
  addComponent(state, file, { kind: 'agent', subdirs: [] })
}

/** All commands under a folder; folders holding SKILL.md become skills. */
export function scanCommandFolder(state: ScanState, dir: string): void {
  const { files, skillFiles } = markdownFiles(state, dir, true)
  for (const { file, subdirs, listedAsFile } of files)
    addComponent(state, file, { kind: 'command', subdirs }, { listedAsFile })
  for (const skillFile of skillFiles) {
    const skillDir = dirname(skillFile)
    const subdirs = relative(dir, dirname(skillDir)).split(sep).filter(Boolean)
    addComponent(state, skillFile, {
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
    { description },
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
 * Which SKILL.md files a plugin has read, by file identity (read-bounded.ts `id`), with the paths it
 * read each through. Claude Code reads a plugin's skills/ first, then each skills path, and skips a
 * SKILL.md whose real path it has already read (docs/claude-code-notes.md, Ids). So a skills path
 * naming a folder inside skills/ adds nothing: the skill keeps its folder name, not its frontmatter name.
 */
export interface SkillsRead {
  byFile: Map<string, string[]>
  /**
   * Every path in `byFile`: a path read again (a skills path naming skills/x when skills/ was read) is
   * the same real path, so it is skipped unread, without the read, the fstat and the two realpaths.
   */
  paths: Set<string>
}

export function skillsRead(): SkillsRead {
  return { byFile: new Map(), paths: new Set() }
}

/**
 * A skills folder: one skill if it holds SKILL.md itself, else one per sub-folder holding SKILL.md.
 * `seen` holds the SKILL.md files already read through the plugin's other skills paths. Each
 * SKILL.md is opened straight away (a missing one is an answer like a stat's, at the same cost).
 */
export function scanSkillFolder(state: ScanState, dir: string, seen: SkillsRead = skillsRead()): void {
  state.watched.add(dir)
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return
  }
  // The listing says whether the folder is a skill itself: no attempt to open a SKILL.md not there.
  const own = entries.find((entry) => entry.name === 'SKILL.md')
  const base = normalFolder(dir)
  if (own && !own.isDirectory()) {
    if (addSkill(state, childPath(base, 'SKILL.md'), { kind: 'skill', folder: basename(dir), direct: true }, seen))
      return
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of entries) {
    if (!spendEntry(state.budget)) return
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue
    const folder = childPath(base, entry.name)
    addSkill(state, childPath(folder, 'SKILL.md'), { kind: 'skill', folder: entry.name, direct: false }, seen, folder)
  }
}

/** What a folder holds, by name, from one listing: answers the questions a stat per path would. */
export interface FolderListing {
  names: string[]
  isDirectory: (name: string) => boolean
  isFile: (name: string) => boolean
  /**
   * Whether the listing shows nothing of that name, matched without case (a case-insensitive file
   * system opens `.Claude-Plugin/` as `.claude-plugin/`); false where the folder could not be listed.
   */
  lacks: (name: string) => boolean
}

/**
 * A plugin root's entries, listed once: whether agents/, commands/, skills/ and SKILL.md are there.
 * `listed`: the folder's entries when discovery already listed it (listPluginFolder).
 */
export function listFolder(dir: string, listed?: Dirent[]): FolderListing {
  let entries: Map<string, Dirent>
  let ok = true
  try {
    entries = new Map((listed ?? readdirSync(dir, { withFileTypes: true })).map((entry) => [entry.name, entry]))
  } catch {
    entries = new Map()
    ok = false
  }
  // A link is followed, as a stat would (and as Claude Code does).
  const is = (name: string, kind: 'isDirectory' | 'isFile'): boolean => {
    const entry = entries.get(name)
    if (!entry) return false
    return entry.isSymbolicLink() ? (kind === 'isFile' ? isFile : isDirectory)(join(dir, name)) : entry[kind]()
  }
  return {
    names: [...entries.keys()],
    isDirectory: (name) => is(name, 'isDirectory'),
    isFile: (name) => is(name, 'isFile'),
    lacks: (name) => {
      if (!ok) return false
      const lower = name.toLowerCase()
      for (const entry of entries.keys()) if (entry.toLowerCase() === lower) return false
      return true
    },
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

/**
 * Whether anything is at the path (a dangling link is not): access(F_OK), which answers as a stat
 * would, without the Stats object a stat makes (measured: Stats objects were the largest share of a
 * registry build's allocations).
 */
export function exists(path: string): boolean {
  return existsSync(path)
}

/**
 * Whether a plugin folder is a folder, answered by its listing where it can be listed (a file or
 * nothing at the path cannot be): the entries, which the plugin's load needs anyway, instead of a stat
 * and then the listing. Where the listing fails otherwise (a folder it may not read), a stat answers,
 * as isDirectory would. `entries` is undefined where the path is no folder.
 */
export function listPluginFolder(path: string): { folder: boolean; entries?: Dirent[] } {
  try {
    return { folder: true, entries: readdirSync(path, { withFileTypes: true }) }
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return { folder: false }
    return { folder: isDirectory(path) }
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
 * One SKILL.md, if there is one (a regular file): added unless the plugin read the same file already.
 * Claude Code compares real paths; two paths can only share one when they are one file, so a realpath
 * is resolved only for a file read twice (docs/claude-code-notes.md, Ids). `folder`, the skill's folder
 * in a skills folder, is watched while it has no SKILL.md.
 */
function addSkill(state: ScanState, skillFile: string, source: IdSource, seen: SkillsRead, folder?: string): boolean {
  if (seen.paths.has(skillFile)) return true // read through this very path already: the same real path
  // Borrowed bytes: addComponent decodes them before anything else is read.
  const read = readBoundedBorrowed(skillFile, MAX_COMPONENT_BYTES)
  if (!read.ok && (read.problem === 'missing' || read.problem === 'not-a-file')) {
    // A SKILL.md written into this folder later changes only this folder: it is watched (the
    // absent file then need not be, snapshot.ts). A folder with its SKILL.md needs no watch: the file has one.
    if (folder) state.watched.add(folder)
    state.watched.add(skillFile)
    return false
  }
  if (read.ok && !isFirstRead(seen, skillFile, read.id)) return true
  addComponent(state, skillFile, source, { read })
  return true
}

function isFirstRead(seen: SkillsRead, skillFile: string, id: string): boolean {
  const paths = seen.byFile.get(id)
  if (!paths) {
    seen.byFile.set(id, [skillFile])
    seen.paths.add(skillFile)
    return true
  }
  const real = realPath(skillFile)
  if (paths.some((path) => realPath(path) === real)) return false
  paths.push(skillFile) // another link to the same file (a hard link): Claude Code reads it again
  seen.paths.add(skillFile)
  return true
}

function realPath(file: string): string {
  try {
    return realpathSync.native(file) // one syscall: the JS realpath lstats every component
  } catch {
    return file
  }
}

/**
 * `read`: the file, read already (a SKILL.md, opened to find out whether it is there);
 * `listedAsFile`: its folder's listing showed it as a regular file, so it is read without an fstat.
 */
function addComponent(
  state: ScanState,
  file: string,
  source: IdSource,
  {
    description,
    read: readAlready,
    listedAsFile,
  }: { description?: string; read?: BytesRead; listedAsFile?: boolean } = {},
): void {
  state.watched.add(file)
  if (!spendEntry(state.budget)) return
  const read = readAlready ?? (listedAsFile ? readListedFile : readBounded)(file, MAX_COMPONENT_BYTES)
  if (!read.ok) {
    reportUnread(state, file, read.problem, read.size, read.message)
    return
  }
  // A listed or skill file's bytes are borrowed until the next read (read-bounded.ts): decoded here and in
  // buildComponent, which reads the body (text.full) before it returns, never after.
  if (startsWithByteOrderMark(read.bytes))
    state.diagnostics.push(
      byteOrderMarkWarning(
        file,
        'reads no frontmatter in it: the component loads under its file name, with every tool',
      ),
    )
  const text = componentText(read.bytes)
  const tooComplex = frontmatterOverLimit(text.head, state.budget)
  if (tooComplex) {
    leaveOut(state, file, source.kind, tooComplex)
    return
  }
  try {
    const component = buildComponent(
      state,
      file,
      text.head,
      source,
      description === undefined ? undefined : { description },
      text,
    )
    // Read here, from the bytes (borrowed until the next read), which are never decoded for it.
    if (component.kind !== 'agent' && readsArgumentsInShell(read.bytes)) component.shellArguments = true
    state.components.push(component)
  } catch (thrown) {
    if (!(thrown instanceof FrontmatterOverLimit)) throw thrown
    leaveOut(state, file, source.kind, thrown.message)
  }
}

/** A component whose frontmatter is past a limit: not in the registry, and the plugin recorded as partly read. */
function leaveOut(state: ScanState, file: string, kind: string, why: string): void {
  state.diagnostics.push(
    error(
      'SCAN_LIMIT_REACHED',
      file,
      `the frontmatter ${why}, so Switchboard does not read it: this ${kind} is not in the registry and calls to it are refused. Shorten the frontmatter (write values out instead of *aliases); put long text in the body.`,
    ),
  )
  noteGap(state.budget, `${relative(dirname(dirname(file)), file)}: frontmatter ${why}`)
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
  // Most blocks hold no bracket: the count starts at the first one (measured: scanning every character
  // of every block was about 3% of a build's JavaScript).
  const open = firstBracket(text, start, end)
  let depth = 0
  for (let i = open; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x5b || c === 0x7b) {
      if (++depth > maxFrontmatterNesting) return `nests brackets more than ${maxFrontmatterNesting} levels deep`
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--
  }
  return undefined
}

/**
 * `name.toLowerCase().endsWith('.md')` without the lower-case copy: no character but "M" and "D" lowers
 * to "m" and "d", and none to ".".
 */
function endsWithMd(name: string): boolean {
  const at = name.length - 3
  if (at < 0 || name.charCodeAt(at) !== 0x2e) return false
  const m = name.charCodeAt(at + 1) | 0x20
  const d = name.charCodeAt(at + 2) | 0x20
  return m === 0x6d && d === 0x64
}

/** Where the first `[` or `{` of text[start, end) is, else `end`. */
function firstBracket(text: string, start: number, end: number): number {
  const square = text.indexOf('[', start)
  const curly = text.indexOf('{', start)
  const first = square < 0 ? curly : curly < 0 ? square : Math.min(square, curly)
  return first < 0 || first > end ? end : first
}

/**
 * The .md files under a folder; with `skills` (commands/), a folder holding a `SKILL.md` in any letter
 * case (Claude Code matches /^skill\.md$/i, found by review) is a skill, and the files inside it are not commands.
 */
function markdownFiles(
  state: ScanState,
  dir: string,
  skills: boolean,
): { files: Array<{ file: string; subdirs: string[]; listedAsFile: boolean }>; skillFiles: string[] } {
  state.watched.add(dir)
  const { entries, irregular } = walkFolder(state, dir)
  const skillEntries = skills ? entries.filter((entry) => /(^|\/)skill\.md$/i.test(entry)) : []
  const skillDirs = skillEntries.map((entry) => join(dir, dirname(entry)))
  const skillSet = new Set(skillDirs)
  const insideSkill = (path: string): boolean => {
    if (skillSet.size === 0) return false
    for (let p = path.replace(/[/\\]$/, ''); p.length >= dir.length; p = dirname(p)) {
      if (skillSet.has(p)) return true
      if (p === dir) return false
    }
    return false
  }
  const files: Array<{ file: string; subdirs: string[]; listedAsFile: boolean }> = []
  const base = normalFolder(dir)
  for (const entry of entries) {
    const path = childPath(base, entry)
    if (entry.endsWith('/')) {
      if (!insideSkill(path)) state.watched.add(path.replace(/[/\\]$/, ''))
      continue
    }
    if (!endsWithMd(entry) || insideSkill(path)) continue
    // The entry's folders: what dirname(entry) gives ("." for none), as entries are "/"-joined names.
    const slash = entry.lastIndexOf('/')
    files.push({
      file: path,
      subdirs: slash < 0 ? [] : entry.slice(0, slash).split('/'),
      listedAsFile: !irregular.has(entry),
    })
  }
  // A skill folder at the top of commands/ itself (commands/SKILL.md) is not a command folder entry.
  return { files, skillFiles: skillEntries.map((entry) => join(dir, entry)).filter((file) => dirname(file) !== dir) }
}
