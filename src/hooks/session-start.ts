/**
 * SessionStart: refresh the registry snapshot that the other hooks read (so they never scan disks),
 * including the plugins this session loaded with --plugin-dir, and tell the model which runtime runs
 * Switchboard here (one line; trace/runtime.ts) and what it can call.
 * Cheap when nothing changed (a stat per watched path). Fails open: a broken snapshot must not stop
 * the user's session from starting.
 */
import { SessionStartInputSchema } from '../protocol/index.ts'
import { dataDir, sessionPluginDirs, syncSnapshot } from '../registry/index.ts'
import { recordSessionProcess, recordSessionStart, runtimeLine, sessionRuntimeFromEnv, writeSnapshotPointer } from '../trace/index.ts'
import { runHook } from './run-hook.ts'
import { sessionFolder } from './session-files.ts'
import { sessionSummary } from './session-summary.ts'

runHook({
  name: 'session-start',
  onFailure: 'open',
  input: SessionStartInputSchema,
  handle: (input) => {
    const { snapshot, file } = syncSnapshot({ cwd: input.cwd, env: process.env, pluginDirs: sessionPluginDirs() })
    const folder = sessionFolder(input.session_id, input.cwd)
    writeSnapshotPointer(folder, file)
    // The hooks module, where it runs, set its variables before this hook started (classic.SessionStart).
    const runtime = sessionRuntimeFromEnv(process.env, input.session_id)
    recordSessionStart(folder, input.cwd, runtime.runtime)
    // Claude Code is this hook's parent (args form, no shell): the MCP server, its sibling, finds its session by it.
    recordSessionProcess(dataDir(process.env, input.cwd), process.ppid, input.session_id)
    const { line, warning } = runtimeLine(runtime)
    const summary = sessionSummary(snapshot)
    return { ...(warning ? { systemMessage: warning } : {}), hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: summary === undefined ? line : `${line}\n${summary}` } }
  },
})
