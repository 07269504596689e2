/**
 * `switchboard context list|get|put|clear`: the session's context slots from the command line.
 *   put <slot> <text | @file | ->   (--json: the value is JSON; --secret [--share-with a,b]: passed only to those plugins)
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { inert, SwitchboardError } from '../common/index.ts'
import {
  clearSlots,
  clearSlotsButSecrets,
  getSlot,
  keptSecretsNote,
  listSlots,
  MAX_SLOT_FILE_BYTES,
  putSlot,
  secretAudience,
  shareWithNote,
  SLOT_NAME,
  slotText,
} from '../context/index.ts'
import { buildRegistry, readBounded } from '../registry/index.ts'
import { readSessionSnapshot } from '../trace/index.ts'
import { readArgumentFile, utf8Text } from './argument-file.ts'
import { dataDirOf, registryOptionsOf, sessionOf, UsageError, unknownSession } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { plural, table } from './format.ts'

/** How many words each action takes, itself included: a word past them would be dropped. */
const WORDS: Record<string, number> = { list: 1, get: 2, put: 3, clear: 2 }

export function run(context: CommandContext): CommandResult {
  const [action, name, value] = context.positionals
  const most = action !== undefined && Object.hasOwn(WORDS, action) ? WORDS[action] : undefined
  if (most !== undefined && context.positionals.length > most)
    throw new UsageError(
      `unexpected argument "${inert(context.positionals[most]!)}"${action === 'put' ? '; put stores one value: quote text with spaces ("hello world"), or pass @file or - (standard input)' : ''}`,
    )
  // Reading may fall back to the latest session; writing needs the session named (or this Claude Code session's own).
  const found = sessionOf(context, action === 'list' || action === 'get')
  if (!found)
    throw new UsageError(
      action === 'put' || action === 'clear'
        ? `which session? Outside Claude Code, name it: --session ID (or --session latest); sessions are in ${inert(dataDirOf(context))}`
        : `no session found in ${inert(dataDirOf(context))}; pass --session ID`,
    )
  const { dir } = found
  // Slots may be put before a session starts (it reads them once it runs with that id); anything else
  // on a session nothing wrote to is a typo to name, not an empty answer.
  const unknown = unknownSession(context, found)
  if (unknown && action !== 'put') throw new SwitchboardError('SESSION_UNKNOWN', unknown.replace(/\.$/, ''))
  // Session ids, slot names and writers are shown inert (common/inert.ts); a value is printed only by
  // `get`, raw to a pipe or a file, since it is the data itself, and escaped to a terminal unless --raw (run-cli.ts).
  const session = inert(found.id)
  const needName = (): string => {
    if (!name) throw new UsageError(`missing <slot>`)
    if (!SLOT_NAME.test(name))
      throw new UsageError(
        `"${inert(name)}" is not a slot name: use ASCII letters, digits and "_", not starting with a digit`,
      )
    return name
  }
  switch (action) {
    case 'list': {
      const slots = listSlots(dir)
      const text =
        slots.length === 0
          ? `No context slots in session ${session}.`
          : // In columns (found by a newcomer: each line's fields started where the last one's ended).
            table(
              ['SLOT', 'TYPE', 'SIZE', 'FROM', 'WRITTEN', 'SECRET'],
              slots.map((s) => [
                s.name,
                s.type,
                `${slotText(s).length} chars`,
                s.writer,
                new Date(s.ts).toISOString(),
                s.secret ? `to: ${(s.shareWith ?? []).join(', ') || 'its writer only'}` : '',
              ]),
            )
      return { data: slots.map(({ value: _value, ...rest }) => rest), text, exitCode: 0 }
    }
    case 'get': {
      const slot = getSlot(dir, needName())
      // Run by Claude Code (its Bash tool, a `!` line), the get is a tool's, as context_get's is: a secret is not
      // shown to it (found by review: its value went to a Bash step's output, which the model reads).
      if (slot?.secret && context.env.CLAUDECODE === '1')
        return {
          data: { ...slot, value: null },
          text: `"${inert(slot.name)}" is secret (${slotText(slot).length} chars): Switchboard passes it as $${inert(slot.name)} only to ${inert(secretAudience(slot).join(', ')) || 'no plugin'}, and shows it only at a terminal.`,
          exitCode: 1,
        }
      if (!slot)
        return {
          data: null,
          text: `No slot "${inert(name ?? '')}" in session ${session}. Slots: ${
            listSlots(dir)
              .map((s) => inert(s.name))
              .join(', ') || 'none'
          }.`,
          exitCode: 1,
        }
      return { data: slot, text: slotText(slot), raw: true, exitCode: 0 }
    }
    case 'put': {
      const slotName = needName()
      if (value === undefined) throw new UsageError('missing <value> (text, @file, or - for stdin)')
      // Run by Claude Code (its Bash tool, a `!` line), the put is a tool's, as context_put's is: it reads
      // only what Claude Code's Read could, and cannot replace the user's secret or make one over a slot.
      const byClaude = context.env.CLAUDECODE === '1'
      const raw =
        value === '-'
          ? textOf(readFileSync(0), 'standard input')
          : value.startsWith('@')
            ? byClaude
              ? claudeReadable(value.slice(1), context)
              : readValueFile(resolve(context.cwd, value.slice(1)), value, context.values.json === true)
            : value
      let parsed: unknown = raw
      if (context.values.json) {
        try {
          parsed = JSON.parse(raw)
        } catch (thrown) {
          throw new UsageError(`--json was given but the value is not JSON (${(thrown as Error).message})`)
        }
      }
      const shareWith =
        typeof context.values['share-with'] === 'string'
          ? context.values['share-with']
              .split(',')
              .map((p) => p.trim())
              .filter(Boolean)
          : []
      const secret = context.values.secret === true || shareWith.length > 0
      if (byClaude && secret && getSlot(dir, slotName))
        throw new UsageError(
          `there is already a slot "${inert(slotName)}": run from Claude Code, a put stores a secret only under a new name (at a terminal, you may replace it)`,
        )
      const slot = putSlot(dir, {
        name: slotName,
        type: context.values.json ? 'json' : 'text',
        value: parsed,
        writer: byClaude ? 'tool' : 'cli',
        ...(secret ? { secret, shareWith } : {}),
      })
      return {
        data: slot,
        text: `Stored ${inert(slot.name)} (${slot.type}, ${plural(slotText(slot).length, 'char')}) in session ${session}.${unknown ? waitingFor(session) : ''}${shareWith.length > 0 ? shareWithNote(shareWith, pluginsHere(context, dir)) : ''}`,
        exitCode: 0,
      }
    }
    case 'clear': {
      // Run by Claude Code, the clear is a tool's, as context_clear's is: a secret is kept, else the next put would
      // have its value sent under the secret's name to the plugins it is shared with (found by review).
      const byClaude = context.env.CLAUDECODE === '1'
      const { removed, kept } = byClaude
        ? clearSlotsButSecrets(dir, name)
        : { removed: clearSlots(dir, name), kept: [] }
      // A slot named that is not there is a typo to name, as `get` names it, not "0 removed".
      if (name !== undefined && removed === 0 && kept.length === 0)
        return {
          data: { removed },
          text: `No slot "${inert(name)}" in session ${session}, so nothing was removed. Slots: ${
            listSlots(dir)
              .map((s) => inert(s.name))
              .join(', ') || 'none'
          }.`,
          exitCode: 1,
        }
      return {
        data: { removed },
        text: `Removed ${removed} slot${removed === 1 ? '' : 's'} from session ${session}.${keptSecretsNote(kept)}`,
        exitCode: 0,
      }
    }
    default:
      throw new UsageError(
        action
          ? `unknown action "${inert(action)}"; use list, get, put or clear`
          : 'missing action: list, get, put or clear',
      )
  }
}

/** What `--json @file` reads at most: whitespace aside, a value a slot holds (MAX_SLOT_FILE_BYTES). */
const JSON_FILE_BYTES = 4 * MAX_SLOT_FILE_BYTES

/**
 * The value of `@file`, or a usage error that names the file and why it cannot be read. Opened without waiting
 * and read only from a regular file, up to what a slot holds: a pipe or a device named here would hold the
 * command, as docs/security.md says `@file` never does (found by a docs review).
 */
function readValueFile(path: string, spelled: string, json: boolean): string {
  // JSON is stored compacted: a pretty-printed file may be larger than the slot its value fits (putSlot checks that).
  const maxBytes = json ? JSON_FILE_BYTES : MAX_SLOT_FILE_BYTES
  const read = readBounded(path, maxBytes)
  // Read up to the size the file says it has: a pseudo-file says 0 (/proc's), and would be stored empty.
  if (read.ok && read.bytes.length === 0)
    throw new UsageError(
      `${spelled} (${path}) is empty, or a file that does not say its size (as /proc's do). Pipe it instead: cat ${path} | switchboard context put <slot> -`,
    )
  if (read.ok) return textOf(read.bytes, spelled)
  const why =
    read.problem === 'missing'
      ? 'there is no such file'
      : read.problem === 'not-a-file'
        ? 'it is not a regular file (a folder, a pipe or a device)'
        : read.problem === 'too-large'
          ? `it is ${read.size} bytes, more than the ${maxBytes} read for a slot`
          : read.message
  throw new UsageError(`cannot read ${spelled} (${path}): ${why}. Give the path of a text file, or the text itself`)
}

/** Bytes as text, or a usage error: a value is stored as text, and no byte may be lost on the way. */
function textOf(bytes: Uint8Array, what: string): string {
  const text = utf8Text(bytes, what)
  if (!text.ok) throw new UsageError(inert(text.reason.replace(/\.$/, ''))) // UsageError adds its own
  return text.text
}

/** What a put to a session nothing wrote to yet means: Claude Code takes only a UUID as a session id. */
function waitingFor(session: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(session)
    ? ` That session has not started here yet: a Claude Code session started with this id (claude --session-id ${session}) reads it.`
    : ` That session has not started here yet, and no Claude Code session will have this id: claude --session-id takes a UUID only. Put it in a UUID session (e.g. ${crypto.randomUUID()}, then claude --session-id with it), or in --session latest once a session ran here.`
}

/** The text of a file Claude Code's Read could read (cli/argument-file.ts), or a usage error saying why not. */
function claudeReadable(path: string, context: CommandContext): string {
  const read = readArgumentFile(path, { cwd: context.cwd, env: context.env })
  if (!read.ok) throw new UsageError(`@${inert(path)}: ${read.reason}`)
  return read.text
}

/** The plugins a put's --share-with may name: the session's, else those this command reads (its options). */
function pluginsHere(context: CommandContext, sessionDir: string): string[] {
  const snapshot = readSessionSnapshot(sessionDir)
  return (snapshot ?? buildRegistry(registryOptionsOf(context))).plugins.map((plugin) => plugin.name)
}
