/**
 * `key=@file` arguments that reach Switchboard from inside Claude Code (the `plan_call` tool, and
 * `/switchboard:invoke`, which any model can run through the Skill tool) are a model's request to
 * read a file, so they get no more than the model's own Read tool would: the file must lie inside the
 * project once every symlink is resolved, and no `Read` deny rule in Claude Code's settings may match
 * it. A person at a terminal (`switchboard plan`, `switchboard context put` outside Claude Code)
 * reads what they like.
 *
 * Deny rules follow Claude Code's Read permission syntax (gitignore-style patterns): `Read` alone
 * denies every file; `Read(//abs/**)` is absolute, `Read(~/x/**)` is under the home folder,
 * `Read(/x/**)` is relative to the project, `Read(./x)` and `Read(x)` to the working folder, and a
 * pattern with no `/` matches at any depth (docs/security.md "File arguments"). Used by the CLI and
 * the MCP server, never by hooks (it loads picomatch).
 */
import { lstatSync, realpathSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join, relative, resolve } from 'node:path'
import picomatch from 'picomatch'
import { isLexicallyInside, settingsText } from '../common/index.ts'
import {
  claudeLocations,
  managedSettingsFiles,
  readBounded,
  readBytesNoWait,
  SMALL_FILE_BYTES,
} from '../registry/index.ts'
import type { Env } from '../registry/index.ts'

export type FileAccess = { ok: true; file: string } | { ok: false; reason: string }

/**
 * The most a file read on a model's behalf may hold. Read gives a model far less in one call; the
 * bound keeps one request from filling the memory of the MCP server that answers settings mode's hooks.
 */
const MAX_ARGUMENT_FILE_BYTES = 1024 * 1024

/**
 * checkArgumentFile, then the file's text: read without blocking (a FIFO in the project would hold
 * the MCP server, and with it every settings-mode hook, until its writer came), only a regular file,
 * at most `maxBytes` (MAX_ARGUMENT_FILE_BYTES unless the caller reads a kind of file with its own bound).
 *
 * What was read must be the file that was checked: between the check and the read, a model's Bash step
 * can swap the path (or a folder on it) for a link out of the project, as a review did 14 times in 300
 * tries. So the bytes are given only when, after the read, the path still resolves to the checked file
 * and that file is the very one read (its device and inode).
 */
export function readArgumentFile(
  path: string,
  where: { cwd: string; env: Env; managed?: readonly string[] },
  maxBytes = MAX_ARGUMENT_FILE_BYTES,
): { ok: true; text: string; file: string } | { ok: false; reason: string } {
  const access = checkArgumentFile(path, where)
  if (!access.ok) return access
  const read = readBounded(access.file, maxBytes)
  if (read.ok) {
    if (!stillTheFileChecked(resolve(where.cwd, path), access.file, read.id))
      return {
        ok: false,
        reason: `${path} changed while Switchboard read it (it is, or is on, a path that was replaced). Pass a file that stays put.`,
      }
    const text = utf8Text(read.bytes, path)
    return text.ok ? { ok: true, text: text.text, file: access.file } : text
  }
  const reason =
    read.problem === 'too-large'
      ? `${path} is ${read.size} bytes, more than the ${maxBytes} a call made from inside Claude Code may pass. Store it from a terminal: switchboard context put <slot> @<file> --session <id>, then pass $<slot>.`
      : read.problem === 'not-a-file'
        ? `${path} is not a regular file (a folder, a pipe or a device). Give the path of a text file.`
        : `cannot read ${path} (${read.message}).`
  return { ok: false, reason }
}

/**
 * A file's bytes as text, or why they are not UTF-8 text: decoded loosely, a Latin-1 `é` became U+FFFD in
 * the slot and the byte was lost without a word (found by a newcomer's review). `what` names the file.
 */
export function utf8Text(bytes: Uint8Array, what: string): { ok: true; text: string } | { ok: false; reason: string } {
  try {
    return { ok: true, text: UTF8.decode(bytes) }
  } catch {
    const at = firstInvalidByte(bytes)
    return {
      ok: false,
      reason: `${what} is not UTF-8 text (byte ${at}: 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}), and Switchboard passes text only. Convert it (iconv -f latin1 -t utf-8), or pass a path the target reads itself.`,
    }
  }
}

// ignoreBOM: a byte order mark is kept, as the loose decoding kept it (nothing lost either way).
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** The offset of the first byte that does not decode: where the loose reading's first stand-in U+FFFD is. */
function firstInvalidByte(bytes: Uint8Array): number {
  let offset = 0
  for (const char of new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)) {
    const real = char === '\uFFFD' && bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd
    if (char === '\uFFFD' && !real) return offset
    const code = char.codePointAt(0) ?? 0
    offset += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
  }
  return offset
}

/** Whether `requested` still resolves to `checked`, with no link on the way, and that is the file `id` names. */
function stillTheFileChecked(requested: string, checked: string, id: string): boolean {
  try {
    const now = lstatSync(checked)
    return realpathSync(requested) === checked && now.isFile() && `${now.dev}:${now.ino}` === id
  } catch {
    return false
  }
}

/** `where.managed`: the managed-settings files to read (default: this platform's, drop-ins included). */
export function checkArgumentFile(
  path: string,
  where: { cwd: string; env: Env; managed?: readonly string[] },
): FileAccess {
  const locations = claudeLocations(where.env, where.cwd)
  const requested = resolve(where.cwd, path)
  const outside = (project: string): FileAccess => ({
    ok: false,
    reason: `${path} is outside the project (${project}), and a call made from inside Claude Code may only pass files of the project. Copy what is needed into the project, or store it from a terminal: switchboard context put <slot> @<file> --session <id>.`,
  })
  let project: string
  try {
    project = realpathSync(locations.projectDir)
  } catch (thrown) {
    return { ok: false, reason: `cannot read the project folder ${locations.projectDir} (${codeOf(thrown)}).` }
  }
  let real: string
  try {
    real = realpathSync(requested)
  } catch (thrown) {
    // Whether a file outside the project exists must not show: such a path is outside, found or not.
    const within = isLexicallyInside(locations.projectDir, requested) || isLexicallyInside(project, requested)
    // Worded as the hooks module words it (module/invoke-call.ts), so both runtimes say the same.
    const why = codeOf(thrown) === 'ENOENT' ? 'no such file' : codeOf(thrown)
    return within ? { ok: false, reason: `cannot read ${path} (${why}).` } : outside(project)
  }
  const inside = relative(project, real)
  if (inside.startsWith('..') || isAbsolute(inside)) return outside(project)
  const home = where.env.HOME || homedir()
  // Claude Code's managed settings (which users cannot override; drop-ins included), then the user's and the project's.
  const settings = [...(where.managed ?? managedSettingsFiles()), ...locations.settingsFiles.map((s) => s.file)]
  for (const file of settings) {
    const rules = readDenyRules(file)
    if (!Array.isArray(rules))
      return {
        ok: false,
        reason: `${path} cannot be checked against the Read deny rules of ${file}, which cannot be read (${rules.unreadable}), so Switchboard will not read it. Fix or remove that file.`,
      }
    for (const { rule, asks } of rules) {
      const pattern = rule === 'Read' ? '**' : /^Read\((.*)\)$/.exec(rule)?.[1]
      if (pattern === undefined) continue
      const glob = absolutePattern(pattern, { home, project: locations.projectDir, cwd: where.cwd })
      // A pattern naming a folder denies what is inside it too, as in gitignore.
      const matches = glob === '**' ? () => true : picomatch([glob, `${glob}/**`], { dot: true })
      if (matches(requested) || matches(real)) {
        return {
          ok: false,
          reason: asks
            ? `${path} may be read only with your permission (the rule "${rule}" in ${file} asks for it), which Switchboard cannot ask for, so it will not read it. Read the file yourself and pass what is needed, or store it from a terminal: switchboard context put <slot> @<file> --session <id>.`
            : `${path} is denied to Read by the rule "${rule}" in ${file}, so Switchboard will not read it either. Pass the content another way, or change that rule.`,
        }
      }
    }
  }
  return { ok: true, file: real }
}

// --- internal ---

/**
 * A settings file's permission rules that keep a model from reading a file by itself: its `deny` rules, and its
 * `ask` rules (`asks`), as the person asked to be asked, and Switchboard reads for the model with no way to ask
 * (found by review: an ask rule on `./secrets/**` let plan_call read a secret file). None where it is absent or
 * holds none; `unreadable` where it is there but cannot be read (a FIFO, a folder, past 1 MiB, no permission), as
 * it may hold rules. Read without waiting, as a project's .claude/settings.local.json is a file a model's Bash
 * step can replace. Decoded as Claude Code decodes it (docs/claude-code-notes.md "Settings files"): read as plain
 * UTF-8, a file with a byte order mark or in UTF-16LE was no JSON, so its rules were missed while Claude Code
 * applied them.
 */
function readDenyRules(file: string): Array<{ rule: string; asks: boolean }> | { unreadable: string } {
  let text: string
  try {
    text = settingsText(readBytesNoWait(file, SMALL_FILE_BYTES))
  } catch (thrown) {
    const code = codeOf(thrown)
    return code === 'ENOENT' || code === 'ENOTDIR' ? [] : { unreadable: code }
  }
  try {
    const settings = JSON.parse(text) as { permissions?: { deny?: unknown; ask?: unknown } }
    const rules = (list: unknown, asks: boolean) =>
      Array.isArray(list)
        ? list.filter((r): r is string => typeof r === 'string').map((r) => ({ rule: r.trim(), asks }))
        : []
    return [...rules(settings?.permissions?.deny, false), ...rules(settings?.permissions?.ask, true)]
  } catch {
    return [] // not JSON: Claude Code reads no rules from it either
  }
}

function absolutePattern(pattern: string, base: { home: string; project: string; cwd: string }): string {
  if (pattern === '' || pattern === '*' || pattern === '**') return '**'
  if (pattern.startsWith('//')) return pattern.slice(1)
  if (pattern.startsWith('~/')) return join(base.home, pattern.slice(2))
  if (pattern.startsWith('/')) return join(base.project, pattern.slice(1))
  const rest = pattern.startsWith('./') ? pattern.slice(2) : pattern
  // gitignore: a pattern without a slash matches a name at any depth.
  return rest.includes('/') ? join(base.cwd, rest) : join(base.cwd, '**', rest)
}

function codeOf(thrown: unknown): string {
  return (thrown as NodeJS.ErrnoException).code ?? (thrown as Error).message
}
