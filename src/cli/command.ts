import { existsSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { inert } from '../common/index.ts'
import { fileURLToPath } from 'node:url'
import { dataDir, sessionPluginDirs } from '../registry/index.ts'
import { findSession, listSessions, ownSession } from '../trace/index.ts'
import { UsageError } from './usage-error.ts'
import type { SessionRef } from '../trace/index.ts'
import type { RegistryOptions } from '../registry/index.ts'

export interface CommandContext {
  cwd: string
  env: Readonly<Record<string, string | undefined>>
  positionals: string[]
  values: Record<string, string | boolean | Array<string | boolean> | undefined>
  usage: string
}

export interface CommandResult {
  /** What --json prints (defaults to `data`). */
  json?: unknown
  data: unknown
  text: string
  /** The text is data to pass through byte for byte (`context get`), not a listing to render inert. */
  raw?: boolean
  /** Extra lines for stderr (e.g. a summary of problems in --json mode). */
  stderr?: string
  exitCode: number
}

/** The registry sources a command was asked to read (--plugin-dir, --marketplace-root, --no-installed). */
export function registryOptionsOf(context: CommandContext): RegistryOptions {
  const list = (key: string): string[] => {
    const value = context.values[key]
    const given = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
    for (const path of given) folderGiven(`--${key}`, path, context.cwd)
    return given
  }
  // Inside a Claude Code session (a `!` line of a command, or the Bash tool), the session's
  // --plugin-dir plugins count too: they are read from its command line (registry/session-plugin-dirs.ts).
  const session = context.env.CLAUDECODE === '1' ? sessionPluginDirs() : []
  return {
    cwd: context.cwd,
    env: context.env,
    pluginDirs: [...list('plugin-dir'), ...session],
    marketplaceRoots: list('marketplace-root'),
    installed: context.values['no-installed'] !== true,
  }
}

/**
 * A folder named on the command line is one the person means: a path that is empty, missing or a file is
 * their typo, said at once (exit 2), where a registry diagnostic would be one warning among many, exit 0.
 */
function folderGiven(flag: string, path: string, cwd: string): void {
  if (path.trim() === '') throw new UsageError(`${flag} is empty; give a folder (${flag} . for this one)`)
  const stat = statSync(resolve(cwd, path), { throwIfNoEntry: false })
  if (!stat) throw new UsageError(`${flag} ${inert(path)}: no such folder`)
  if (!stat.isDirectory())
    throw new UsageError(
      `${flag} ${inert(path)}: a file, not a folder; give the folder that holds ${flag === '--plugin-dir' ? '.claude-plugin/plugin.json' : '.claude-plugin/marketplace.json'}`,
    )
}

/** Exactly `count` positional arguments, or a usage error naming what is missing. */
export function positionals(context: CommandContext, names: string[]): string[] {
  if (context.positionals.length < names.length)
    throw new UsageError(
      `missing ${names
        .slice(context.positionals.length)
        .map((n) => `<${n}>`)
        .join(' ')}`,
    )
  if (context.positionals.length > names.length)
    throw new UsageError(`unexpected argument "${context.positionals[names.length]}"`)
  return context.positionals
}

/** The data folder a command works in: --data-dir, else the folder this plugin's hooks use (registry/data-dir.ts). */
export function dataDirOf(context: CommandContext): string {
  const given = context.values['data-dir']
  if (typeof given === 'string' && given) return given
  // `--plugin-data`: the folder Claude Code gives the plugin, which its own commands pass (the Bash tool's
  // environment has no CLAUDE_PLUGIN_DATA). It stands where that variable would, so $SWITCHBOARD_DATA_DIR, which
  // the hooks and the server obey, still wins: /switchboard:trace read the wrong folder (found by a docs review).
  const pluginData = context.values['plugin-data']
  const env =
    typeof pluginData === 'string' && pluginData ? { ...context.env, CLAUDE_PLUGIN_DATA: pluginData } : context.env
  return dataDir(env, context.cwd, pluginRoot())
}

/**
 * The session a command works on. `--session ID` (or `--session latest`) when someone names one;
 * else the session of the Claude Code process that runs this command (CLAUDE_CODE_SESSION_ID, set
 * for the Bash tool and `!` lines); else, only for commands that just read (`latestIfNone`), the most
 * recently active session. A command never writes into another session unless it is named.
 */
export function sessionOf(context: CommandContext, latestIfNone: boolean): SessionRef | undefined {
  const given = context.values.session
  const dir = dataDirOf(context)
  if (typeof given === 'string' && given) return findSession(dir, given)
  return ownSession(dir, context.env) ?? (latestIfNone ? findSession(dir, 'latest') : undefined)
}

/**
 * Why a session named with --session is not one Switchboard knows (no folder: a typo, or a session
 * that has not started), listing the ones it does; undefined when it exists or none was named.
 */
export function unknownSession(context: CommandContext, session: SessionRef): string | undefined {
  const named = context.values.session
  if (typeof named !== 'string' || named === 'latest' || existsSync(session.dir)) return undefined
  const known = listSessions(dataDirOf(context))
    .slice(0, 5)
    .map((s) => s.id)
  return `no session "${named}" in ${dataDirOf(context)}. ${known.length > 0 ? `Recent sessions: ${known.join(', ')} (or --session latest).` : 'No session has written anything there yet.'}`
}

/**
 * The root of the plugin this code runs from: the bundle's plugin folder (cli/chunks/ in an install or
 * in plugin/ of a checkout), or a checkout's plugin/ when run from src/cli/.
 */
function pluginRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 3; i++, dir = dirname(dir))
    for (const root of [dir, join(dir, 'plugin')])
      if (existsSync(join(root, '.claude-plugin', 'plugin.json'))) return root
  return undefined
}

export { UsageError } from './usage-error.ts'
