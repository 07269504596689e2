/**
 * The `switchboard` command line: a table of commands, each loaded on demand. A command returns data
 * and an exit status; this file prints it as text or JSON. Only cli/ touches console and exit codes.
 *
 * Exit codes: 0 ok, 1 problems found in the user's files, 2 usage error.
 */
import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'
import { inert, inertJson, InternalError, messageOf, nearest, SwitchboardError } from '../common/index.ts'
import { UsageError } from './usage-error.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { VERSION } from './version.ts'

interface CommandEntry {
  summary: string
  usage: string
  options?: ParseArgsConfig['options']
  /** Takes no positional argument: one given is a mistake to name, not something to ignore. */
  noPositionals?: true
  load: () => Promise<{ run: (context: CommandContext) => Promise<CommandResult> | CommandResult }>
}

const SOURCE_OPTIONS = {
  'plugin-dir': { type: 'string', multiple: true },
  'marketplace-root': { type: 'string', multiple: true },
  'no-installed': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options']

const SOURCES_USAGE = '[--plugin-dir DIR]... [--marketplace-root DIR]... [--no-installed]'

export const COMMANDS: Record<string, CommandEntry> = {
  registry: {
    summary:
      'List every installed agent, command and skill under the id Claude Code uses (--callable: what other plugins can call, with contracts).',
    usage: `registry ${SOURCES_USAGE} [--callable] [--json]`,
    options: { ...SOURCE_OPTIONS, callable: { type: 'boolean' } },
    noPositionals: true,
    load: () => import('./registry.ts'),
  },
  describe: {
    summary: 'Show one component: description, tools, model, contracts, callability.',
    usage: `describe <plugin:component> ${SOURCES_USAGE} [--json]`,
    options: SOURCE_OPTIONS,
    load: () => import('./describe.ts'),
  },
  deps: {
    summary: 'Check plugin dependencies: missing, version mismatches, cycles, load order.',
    usage: `deps ${SOURCES_USAGE} [--json]`,
    options: SOURCE_OPTIONS,
    noPositionals: true,
    load: () => import('./deps.ts'),
  },
  check: {
    summary: "Lint one plugin's manifests and orchestration metadata (errors and warnings, with fixes).",
    usage: 'check <plugin-dir> [--strict] [--json]',
    options: { strict: { type: 'boolean' } },
    load: () => import('./check.ts'),
  },
  doctor: {
    summary: 'Show where Switchboard looked, what it found, which runtime would run it, and what is wrong.',
    usage: `doctor ${SOURCES_USAGE} [--json]`,
    options: SOURCE_OPTIONS,
    noPositionals: true,
    load: () => import('./doctor.ts'),
  },
  plan: {
    summary: 'Resolve and check a cross-plugin call and print the exact tool call (what /switchboard:invoke runs).',
    usage: `plan <plugin:component | capability@range> [key=value | key=@file | key=$slot ...] [--into slot] [--caller main|plugin:agent] [--session ID] [--data-dir DIR] ${SOURCES_USAGE} [--json]`,
    options: {
      ...SOURCE_OPTIONS,
      into: { type: 'string' },
      caller: { type: 'string' },
      session: { type: 'string' },
      'data-dir': { type: 'string' },
    },
    load: () => import('./plan.ts'),
  },
  workflow: {
    summary:
      'Check a workflow against the registry and policy (check), or show the calls a run would make, at zero tokens (plan).',
    usage: `workflow check <file.yaml | plugin:workflow> | workflow plan <file.yaml | plugin:workflow> [input=value | input=@file ...] | workflow compile ... (see workflow compile --help) ${SOURCES_USAGE} [--json]`,
    options: SOURCE_OPTIONS,
    load: () => import('./workflow.ts'),
  },
  'workflow compile': {
    summary:
      "Compile a workflow to a script for Claude Code's native Workflow tool (2.1.331+); inputs given here are fixed in it, the rest come from the tool's args.",
    usage: `workflow compile <file.yaml | plugin:workflow> [input=value | input=@file ...] [--out FILE [--force]] ${SOURCES_USAGE} [--json]`,
    options: { ...SOURCE_OPTIONS, out: { type: 'string' }, force: { type: 'boolean' } },
    load: () => import('./workflow-compile.ts'),
  },
  context: {
    summary: "Read and write the session's context slots (what $slot references in calls resolve to).",
    usage:
      'context list | get <slot> [--raw] | put <slot> <text|@file|-> [--json] [--secret [--share-with plugin,...]] | clear [<slot>] [--session ID|latest] [--data-dir DIR]',
    options: {
      raw: { type: 'boolean' },
      session: { type: 'string' },
      'data-dir': { type: 'string' },
      secret: { type: 'boolean' },
      'share-with': { type: 'string' },
    },
    load: () => import('./context.ts'),
  },
  trace: {
    summary: 'Show the calls of a session as a tree, or as a Mermaid sequence diagram.',
    usage: 'trace [--session ID|latest] [--data-dir DIR | --plugin-data DIR] [--json | --mermaid]',
    options: {
      session: { type: 'string' },
      'data-dir': { type: 'string' },
      'plugin-data': { type: 'string' },
      mermaid: { type: 'boolean' },
    },
    load: () => import('./trace.ts'),
  },
  sync: {
    summary: 'Rebuild the registry snapshot that hooks read (only when something changed, unless --force).',
    usage: `sync ${SOURCES_USAGE} [--force] [--json]`,
    options: { ...SOURCE_OPTIONS, force: { type: 'boolean' } },
    noPositionals: true,
    load: () => import('./sync.ts'),
  },
}

export interface CliIO {
  argv: string[]
  cwd: string
  env: Readonly<Record<string, string | undefined>>
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Whether stdout is a terminal, where data others wrote could act (escape sequences) unless escaped. */
  stdoutIsTerminal?: boolean
}

/** Runs one CLI invocation and returns its exit code. Never throws. */
export async function runCli(io: CliIO): Promise<number> {
  const [name, ...rest] = io.argv
  // `switchboard help registry` is `switchboard registry --help`.
  if (name === 'help' && rest.length > 0) return runCli({ ...io, argv: [...rest, '--help'] })
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(helpText())
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`)
    return 0
  }
  // A two-word command (`workflow compile`) has an entry of its own, with its own options.
  const pair = rest[0] === undefined ? undefined : `${name} ${rest[0]}`
  if (pair && COMMANDS[pair]) return runCli({ ...io, argv: [pair, ...rest.slice(1)] })
  const entry = COMMANDS[name]
  if (!entry) {
    io.stderr(
      `switchboard: unknown command "${inert(name)}"${didYouMean(name)}. Commands: ${Object.keys(COMMANDS).join(', ')}. Run \`switchboard help\`.\n`,
    )
    return 2
  }
  const options: NonNullable<ParseArgsConfig['options']> = {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    ...entry.options,
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options, tokens: true })
  } catch (thrown) {
    // Node's parseArgs messages run over several lines ("…ambiguous.\nDid you forget…"): one line here.
    const message = messageOf(thrown)
      .replace(/\s*\n\s*/g, ' ')
      .replace(/\.$/, '')
    const unknown = /^Unknown option '--([^']+)'/.exec(message)?.[1]
    if (unknown) {
      const hint = nearest(unknown, Object.keys(options))
      // `check` takes its plugin folder as an argument, where the other commands take --plugin-dir.
      const asArgument = unknown === 'plugin-dir' && entry.usage.startsWith(`${name} <plugin-dir>`)
      io.stderr(
        `switchboard ${name}: unknown option --${inert(unknown)}${asArgument ? `; ${name} takes the plugin folder as its argument (switchboard ${name} <plugin-dir>).` : hint ? `; did you mean --${hint}?` : '.'} Usage: switchboard ${entry.usage}\n`,
      )
      return 2
    }
    io.stderr(`switchboard ${name}: ${inert(message)}. Usage: switchboard ${entry.usage}\n`)
    return 2
  }
  const twice = optionGivenTwice(parsed.tokens ?? [], options)
  if (twice) {
    // parseArgs keeps the last of an option given twice: the first was dropped without a word (found by a newcomer).
    io.stderr(`switchboard ${name}: --${twice} is given twice; give it once. Usage: switchboard ${entry.usage}\n`)
    return 2
  }
  const extra = entry.noPositionals ? parsed.positionals[0] : undefined
  if (extra !== undefined) {
    // Most often a plugin folder typed where a flag was meant (`switchboard registry ./my-plugin`).
    io.stderr(
      `switchboard ${name}: unexpected argument "${inert(extra)}"; ${name} reads the installed plugins and the folders given with --plugin-dir (e.g. --plugin-dir ${inert(extra)}). Usage: switchboard ${entry.usage}\n`,
    )
    return 2
  }
  if (parsed.values.help) {
    // `workflow --help` also shows the two-word commands under it (`workflow compile`).
    const under = Object.entries(COMMANDS).filter(([key]) => key.startsWith(`${name} `))
    io.stdout([entry, ...under.map(([, sub]) => sub)].map((e) => `switchboard ${e.usage}\n\n${e.summary}\n`).join('\n'))
    return 0
  }
  try {
    const command = await entry.load()
    const result = await command.run({
      cwd: io.cwd,
      env: io.env,
      positionals: parsed.positionals,
      values: parsed.values,
      usage: `switchboard ${entry.usage}`,
    })
    if (parsed.values.json) io.stdout(`${inertJson(jsonOf(result), 2)}\n`)
    // Data (`context get`) goes byte for byte to a pipe or a file, and to a terminal with --raw only: a
    // slot may hold what an agent returned, escape sequences included (found by review).
    else
      io.stdout(
        withNewline(result.raw && (!io.stdoutIsTerminal || parsed.values.raw) ? result.text : inertLines(result.text)),
      )
    if (result.stderr) io.stderr(withNewline(inertLines(result.stderr)))
    return result.exitCode
  } catch (thrown) {
    if (thrown instanceof UsageError) {
      io.stderr(`switchboard ${name}: ${sentence(inert(thrown.message))} Usage: switchboard ${entry.usage}\n`)
      return 2
    }
    if (thrown instanceof SwitchboardError) {
      io.stderr(`switchboard ${name}: ${sentence(inert(thrown.message))}\n`)
      return 1
    }
    const kind = thrown instanceof InternalError ? 'internal error' : 'unexpected error'
    io.stderr(
      `switchboard ${name}: ${kind}: ${inert(messageOf(thrown))}. This is a bug in Switchboard; please report it with the command you ran.\n`,
    )
    return 1
  }
}

/**
 * One version for the package, the plugin and the CLI: package.json's, injected by the build (and by
 * vitest.config.ts) as a constant, so the bundle depends on that one field only. A test checks that
 * plugin.json agrees.
 */

// --- internal ---

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`
}

/**
 * The last line of defence: commands render what others wrote inert where they print it, so their
 * lines hold nothing inert() escapes but `\`; a line that holds more (a print site that was missed)
 * is escaped whole rather than reach the terminal as it is.
 */
function inertLines(text: string): string {
  return text
    .split('\n')
    .map((line) => (inert(line) === line.replaceAll('\\', '\\\\') ? line : inert(line)))
    .join('\n')
}

function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length))
  const lines = Object.entries(COMMANDS).map(([n, e]) => `  ${n.padEnd(width)}  ${e.summary}`)
  return `switchboard ${VERSION} - lets Claude Code plugins call each other

Usage: switchboard <command> [options]

Commands:
${lines.join('\n')}

Every command takes --json. Plugins are read from Claude Code's install records (honouring
CLAUDE_CONFIG_DIR), from --plugin-dir folders and SWITCHBOARD_PLUGIN_DIRS, and from
--marketplace-root folders.
Exit codes: 0 ok, 1 problems found, 2 usage error.
`
}

/**
 * What --json prints: the command's data, or, where it has none (nothing found, no session), its
 * message, so a script reads why instead of a bare `null`.
 */
function jsonOf(result: CommandResult): unknown {
  const payload = result.json ?? result.data
  if (payload !== null && payload !== undefined) return payload
  return result.exitCode === 0 ? { message: result.text } : { error: result.text }
}

/** ` (did you mean registry?)` for a misspelt command, else nothing. */
function didYouMean(name: string): string {
  const near = name.length <= 64 ? nearest(name, Object.keys(COMMANDS)) : undefined
  return near ? ` (did you mean ${near}?)` : ''
}

/** The first option that takes one value yet is given more than once (`--into a --into b`). */
function optionGivenTwice(
  tokens: ReadonlyArray<{ kind: string; name?: string }>,
  options: NonNullable<ParseArgsConfig['options']>,
): string | undefined {
  const seen = new Set<string>()
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined) continue
    if (options[token.name]?.multiple || options[token.name]?.type === 'boolean') continue
    if (seen.has(token.name)) return token.name
    seen.add(token.name)
  }
  return undefined
}

/**
 * A message as one sentence: ended by exactly one full stop, whether or not its writer put one (messages come from
 * many places, and `once.. Usage:` and a last sentence with no stop at all were both printed; found by a newcomer).
 */
function sentence(text: string): string {
  const trimmed = text.trimEnd().replace(/\.+$/, '')
  return /[!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}
