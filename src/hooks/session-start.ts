/**
 * SessionStart: refresh the registry snapshot that the other hooks read (so they never scan disks),
 * including the plugins this session loaded with --plugin-dir, and tell the model which runtime runs
 * Switchboard here (one line; trace/runtime.ts) and what it can call.
 * Cheap when nothing changed: a stat per watched path, and the registry build (its own bundle,
 * registry-rebuild.mjs) is not even loaded. Fails open: a broken snapshot must not stop the user's
 * session from starting.
 */
import { SessionStartInputSchema } from '../protocol/index.ts'
// The registry's light files only: its index would bundle the whole build.
import { dataDir } from '../registry/data-dir.ts'
import { freshSnapshot } from '../registry/fresh-snapshot.ts'
import type { RegistryOptions } from '../registry/registry-key.ts'
import { sessionPluginDirs } from '../registry/session-plugin-dirs.ts'
import {
  recordSessionProcess,
  recordSessionStart,
  runtimeLine,
  sessionRuntimeFromEnv,
  writeSnapshotPointer,
} from '../trace/index.ts'
import { runHook } from './run-hook.ts'
import { sessionFolder } from './session-files.ts'
import { sessionSummary } from './session-summary.ts'

runHook({
  name: 'session-start',
  onFailure: 'open',
  input: SessionStartInputSchema,
  handle: async (input) => {
    const options: RegistryOptions = { cwd: input.cwd, env: process.env, pluginDirs: sessionPluginDirs() }
    const found = freshSnapshot(options)
    const { snapshot, file } = found.snapshot
      ? { snapshot: found.snapshot, file: found.file }
      : (await loadRebuild()).syncSnapshot(options)
    const folder = sessionFolder(input.session_id, input.cwd)
    writeSnapshotPointer(folder, file)
    // The hooks module, where it runs, set its variables before this hook started (classic.SessionStart).
    const runtime = sessionRuntimeFromEnv(process.env, input.session_id)
    recordSessionStart(folder, input.cwd, runtime.runtime)
    // Claude Code is this hook's parent (args form, no shell): the MCP server, its sibling, finds its session by it.
    recordSessionProcess(dataDir(process.env, input.cwd), process.ppid, input.session_id)
    const { line } = runtimeLine(runtime)
    const summary = sessionSummary(snapshot)
    return {
      hookSpecificOutput: {
        hookEventName: 'SessionStart',
        additionalContext: summary === undefined ? line : `${line}\n${summary}`,
      },
    }
  },
})

/** The registry build's bundle, beside this one once built (scripts/build.mjs). */
function loadRebuild(): Promise<typeof import('./registry-rebuild.ts')> {
  return import(new URL('./registry-rebuild.mjs', import.meta.url).href)
}
