/**
 * SessionStart: refresh the registry snapshot that the other hooks read (so they never scan disks),
 * including the plugins this session loaded with --plugin-dir, and tell the model which runtime runs
 * Switchboard here (one line; trace/runtime.ts) and what it can call.
 * Cheap when nothing changed: a stat per watched path, and the registry build (its own bundle,
 * registry-rebuild.cjs) is not even loaded. Fails open: a broken snapshot must not stop the user's
 * session from starting.
 */
import { join } from 'node:path'
import { writeFileAtomic } from '../common/index.ts'
import { SessionStartInputSchema } from '../protocol/index.ts'
import type { SessionStartInput } from '../protocol/index.ts'
// The registry's light files only: its index would bundle the whole build.
import { dataDir } from '../registry/data-dir.ts'
import { freshSnapshot } from '../registry/fresh-snapshot.ts'
import type { RegistryOptions } from '../registry/registry-key.ts'
import { sessionPluginDirs } from '../registry/session-plugin-dirs.ts'
import { readProjectConfig } from '../registry/claude-config.ts'
import { readManagedSettings } from '../registry/managed-settings.ts'
import { PLUGIN_ROOT_FILE } from '../registry/snapshot-locator.ts'
import { readTextNoWait, SMALL_FILE_BYTES } from '../registry/read-bounded.ts'
import {
  disabledMcpBlock,
  managedMcpBlock,
  OWN_MCP_SERVER,
  pruneOwnDataDaily,
  recordSessionProcess,
  recordSessionStart,
  runtimeLine,
  sessionRuntimeFromEnv,
  sessionSummary,
  writeSnapshotPointer,
} from '../trace/index.ts'
import type { HookDefinition } from './run-hook.ts'
import { sessionFolder } from './session-files.ts'

/** Past this, Claude Code's config file is not read at a session start (doctor reads it whole). */
const SESSION_CONFIG_MAX_BYTES = 32 * 1024 * 1024

export const sessionStartHook: HookDefinition<SessionStartInput> = {
  name: 'session-start',
  onFailure: 'open',
  input: SessionStartInputSchema,
  handle: async (input, env) => {
    const options: RegistryOptions = { cwd: input.cwd, env, pluginDirs: sessionPluginDirs() }
    const found = freshSnapshot(options)
    const { snapshot, file } = found.snapshot
      ? { snapshot: found.snapshot, file: found.file }
      : (await loadRebuild()).syncSnapshot(options)
    const folder = sessionFolder(input.session_id, input.cwd, env)
    writeSnapshotPointer(folder, file)
    // The hooks module, where it runs, set its variables before this hook started (classic.SessionStart).
    const runtime = sessionRuntimeFromEnv(env, input.session_id)
    recordSessionStart(folder, input.cwd, runtime.runtime)
    // Claude Code is this hook's parent (exec'd by its shell): the MCP server, its sibling, finds its session by it.
    const data = dataDir(env, input.cwd)
    recordSessionProcess(data, process.ppid, input.session_id)
    recordPluginRoot(data, env.CLAUDE_PLUGIN_ROOT)
    // Settings mode's per-call hooks are calls to Switchboard's MCP server: one kept out by the organization,
    // or switched off by the person in /mcp, leaves every call unchecked, which the person hears of here
    // (a file or two, most often absent, and Claude Code's config file, parsed only where it names the server).
    const mcpBlock =
      runtime.runtime === 'settings hooks'
        ? (managedMcpBlock(readManagedSettings()) ??
          disabledMcpBlock(readProjectConfig(env, input.cwd, OWN_MCP_SERVER, SESSION_CONFIG_MAX_BYTES)))
        : undefined
    const { line, warning } = runtimeLine(runtime, snapshot.plugins, mcpBlock)
    const summary = sessionSummary(snapshot)
    // Once a day, old sessions' data goes as Claude Code's transcripts do (a stat when not due).
    await pruneOwnDataDaily(env, input.cwd)
    return {
      // The person reads this one too: calls going unchecked is theirs to fix.
      ...(warning ? { systemMessage: warning } : {}),
      hookSpecificOutput: {
        hookEventName: 'SessionStart',
        additionalContext: summary === undefined ? line : `${line}\n${summary}`,
      },
    }
  },
}

/**
 * Names, in the data folder, the plugin folder these hooks run from: where `$.process.hookEnv()` cannot
 * tell the hooks module its data folder, the module finds it by this name and prepares later sessions
 * itself (module/data-dir.ts, module/session-start.ts).
 */
function recordPluginRoot(data: string, pluginRoot: string | undefined): void {
  if (!pluginRoot) return
  const file = join(data, PLUGIN_ROOT_FILE)
  if (readFileOr(file) !== pluginRoot) writeFileAtomic(file, pluginRoot)
}

/** Without waiting and bounded, as every file in the data folder is read: a pipe planted there held SessionStart (review). */
function readFileOr(file: string): string | undefined {
  try {
    return readTextNoWait(file, SMALL_FILE_BYTES)
  } catch {
    return undefined
  }
}

/**
 * The registry build: bundled, a CommonJS file of its own beside this one (scripts/build.mjs), required
 * only when the snapshot is stale; run from the sources (the in-process tests, ES modules), the module
 * itself. Both names are held in variables so the bundler leaves them out of this hook's bundle.
 */
function loadRebuild(): Promise<typeof import('./registry-rebuild.ts')> {
  if (typeof __SWITCHBOARD_CJS_BUNDLE__ !== 'undefined' && __SWITCHBOARD_CJS_BUNDLE__)
    return Promise.resolve(require(join(__dirname, REBUILD_BUNDLE)))
  return import(REBUILD_SOURCE)
}

/** Set by scripts/build.mjs: true in its CommonJS bundles. */
declare const __SWITCHBOARD_CJS_BUNDLE__: boolean | undefined
const REBUILD_BUNDLE = 'registry-rebuild.cjs'
const REBUILD_SOURCE = './registry-rebuild.ts'
