/**
 * Which registry snapshot a session uses, and whether it is still fresh: the rules both runtimes
 * follow, pure (no Node). The SessionStart hook runs them with Node's path module and statSync
 * (fresh-snapshot.ts); the hooks module runs them with POSIX text rules and `$.fs.stat`, so that
 * where the snapshot is fresh the module prepares the session itself and the SessionStart hook's
 * node process steps aside (module/session-start.ts). One home: both find the same file, and a
 * key that came out different would name a file no one wrote, so the hook would run as before.
 */
import { lexicalResolve, sha256Hex } from '../common/core.ts'

export type Env = Readonly<Record<string, string | undefined>>

/** How paths are resolved and joined: Node's path module in Node, POSIX_PATHS in the hooks module. */
export interface PathOps {
  resolve: (base: string, path: string) => string
  join: (...parts: string[]) => string
  /** Between folders in a list variable (`:` on POSIX). */
  delimiter: string
}

/** POSIX rules by text alone, for the hooks module (which runs only where /proc is: Linux). */
export const POSIX_PATHS: PathOps = {
  resolve: lexicalResolve,
  join: (...parts) => lexicalResolve('/', parts.join('/')),
  delimiter: ':',
}

/** The folders Claude Code keeps its state in, from the environment (claude-paths.ts has the rest). */
export interface ClaudeFolders {
  /** `~/.claude`, or `$CLAUDE_CONFIG_DIR`. */
  configDir: string
  /** `<configDir>/plugins`, or `$CLAUDE_CODE_PLUGIN_CACHE_DIR`. */
  pluginsRoot: string
  /** The project whose `.claude/settings*.json` apply: `$CLAUDE_PROJECT_DIR`, else the working directory. */
  projectDir: string
}

export function claudeFolders(paths: PathOps, env: Env, cwd: string, home: string): ClaudeFolders {
  const configDir = paths.resolve(cwd, env.CLAUDE_CONFIG_DIR || paths.join(home, '.claude'))
  return {
    configDir,
    pluginsRoot: paths.resolve(cwd, env.CLAUDE_CODE_PLUGIN_CACHE_DIR || paths.join(configDir, 'plugins')),
    projectDir: paths.resolve(cwd, env.CLAUDE_PROJECT_DIR || cwd),
  }
}

/**
 * Plugin folders given outside the command line. `SWITCHBOARD_PLUGIN_DIRS` is ours, for plugins a
 * session loads with `--plugin-dir` (Claude Code records those nowhere on disk);
 * `CLAUDE_CODE_PLUGIN_DIRS` is Claude Code's own equivalent of `--plugin-dir` (v2.1.280+), so a
 * plugin loaded that way is visible to Switchboard's hooks too. Both use the path delimiter.
 */
function pluginDirsFromEnvWith(paths: PathOps, env: Env, cwd: string): string[] {
  return [env.SWITCHBOARD_PLUGIN_DIRS, env.CLAUDE_CODE_PLUGIN_DIRS]
    .flatMap((value) => (value ? value.split(paths.delimiter) : []))
    .map((dir) => dir.trim())
    .filter((dir) => dir.length > 0)
    .map((dir) => paths.resolve(cwd, dir))
}

export interface RegistryKey {
  configDir: string
  projectDir: string
  pluginDirs: string[]
  marketplaceRoots: string[]
  installed: boolean
  /** `$CLAUDE_CODE_PLUGIN_CACHE_DIR` resolved, where it is set. */
  pluginsRoot?: string
}

export interface KeySources {
  cwd: string
  env: Env
  /** Explicit plugin folders (--plugin-dir), in addition to those from the environment. */
  pluginDirs?: string[]
  /** Marketplace folders whose local plugins are listed as if installed (--marketplace-root). */
  marketplaceRoots?: string[]
  /** Include the plugins installed in the Claude Code config folder (default true). */
  installed?: boolean
}

/** What a registry is built from, resolved without touching the disk: the key that names a snapshot. */
export function registryKeyWith(paths: PathOps, sources: KeySources, home: string): RegistryKey {
  const folders = claudeFolders(paths, sources.env, sources.cwd, home)
  return {
    configDir: folders.configDir,
    projectDir: folders.projectDir,
    pluginDirs: [
      ...(sources.pluginDirs ?? []).map((d) => paths.resolve(sources.cwd, d)),
      ...pluginDirsFromEnvWith(paths, sources.env, sources.cwd),
    ],
    marketplaceRoots: (sources.marketplaceRoots ?? []).map((d) => paths.resolve(sources.cwd, d)),
    installed: sources.installed ?? true,
    // Where Claude Code keeps installed plugins, when moved: another folder is another set of plugins, and a
    // snapshot of the first was "up to date" for the second (found by review). Left out otherwise, so the
    // names of snapshots made without it stay as they were.
    ...(sources.env.CLAUDE_CODE_PLUGIN_CACHE_DIR ? { pluginsRoot: folders.pluginsRoot } : {}),
  }
}

/** Stable hash of a registry key, used in the snapshot's file name. */
export function hashKey(key: RegistryKey): string {
  return sha256Hex(JSON.stringify(key)).slice(0, 16)
}

/** The snapshot's file name in the data folder. */
export function snapshotFileName(keyHash: string): string {
  return `registry-${keyHash}.json`
}

/** A watched path's size and mtime now; ABSENT when it does not exist (or cannot be seen). */
export interface PathStat {
  mtime: number
  size: number
}

export const ABSENT: PathStat = { mtime: -1, size: -1 }

/**
 * Whether a fingerprint entry still holds. Folder sizes are filesystem-specific and meaningless, so
 * they are recorded as 0 and compared as 0: a folder's mtime changes when its entries do.
 */
export function entryHolds([, mtime, size]: readonly [string, number, number], now: PathStat): boolean {
  return now.mtime === mtime && now.size === size
}

/**
 * Whether a snapshot watches what it lists: every loaded plugin's folder and every component file in it is among its
 * fingerprint's paths. A snapshot vouches only for what it watches, and one that did not watch a component's
 * file would stay fresh through every edit of it (found by review: a snapshot forged with an empty fingerprint
 * was fresh forever, `switchboard sync` included). Every build watches all of them, so only a snapshot not
 * written by a build fails this.
 */
export function watchesWhatItLists(snapshot: {
  fingerprint: ReadonlyArray<readonly [string, number, number]>
  plugins: ReadonlyArray<{ root: string; loaded: boolean }>
  components: ReadonlyArray<{ file: string }>
}): boolean {
  const watched = new Set<string>()
  for (const entry of snapshot.fingerprint) watched.add(entry[0])
  // A plugin Claude Code does not load may have no folder at all (a marketplace entry whose source is missing),
  // and an absent path below a watched folder is not recorded itself (snapshot.ts fingerprintOf).
  for (const plugin of snapshot.plugins) if (plugin.loaded && !watched.has(plugin.root)) return false
  for (const component of snapshot.components) if (!watched.has(component.file)) return false
  return true
}

/**
 * The plugin's command line arguments after `--plugin-dir` (or `--plugin-dir=`), made absolute
 * against Claude Code's working directory; `.zip` plugins are skipped.
 */
export function pluginDirsOfArgv(argv: readonly string[], cwd: string): string[] {
  const dirs: string[] = []
  argv.forEach((arg, index) => {
    const value =
      arg === '--plugin-dir'
        ? argv[index + 1]
        : arg.startsWith('--plugin-dir=')
          ? arg.slice('--plugin-dir='.length)
          : undefined
    if (value && !value.endsWith('.zip')) dirs.push(lexicalResolve(cwd, value))
  })
  return dirs
}

/** Whether a command line is Claude Code's: the native binary, or the npm package's script. */
export function isClaudeCodeArgv(argv: readonly string[]): boolean {
  const program = argv[0]?.split('/').pop() ?? ''
  return (
    program === 'claude' ||
    program === 'claude.exe' ||
    (argv.some((a) => a.endsWith('/cli.js') || a.endsWith('claude-code/cli.mjs')) && argv.includes('--plugin-dir'))
  )
}

/**
 * The file in Switchboard's data folder that names the plugin folder whose hooks wrote it
 * (`$CLAUDE_PLUGIN_ROOT`): where `$.process.hookEnv()` cannot tell the hooks module its data folder,
 * the module finds the folder by this (module/data-dir.ts).
 */
export const PLUGIN_ROOT_FILE = 'plugin-root'

/**
 * The companion plugin that holds the per-call settings hooks (PreToolUse, PostToolUse,
 * PostToolUseFailure, SubagentStop), a dependency of Switchboard's marketplace entry. Where the hooks
 * module loads it keeps them out at `plugin.register` (module/register.ts), so they cost Claude Code
 * nothing per call: a module cannot keep out its own plugin's hooks, only a plugin's admitted after it
 * (docs/claude-code-notes.md "Mods").
 */
export const SETTINGS_HOOKS_PLUGIN = 'switchboard-hooks'
