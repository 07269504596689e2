/**
 * The model's tools run on a worker thread of their own; the server's main thread answers the protocol
 * and settings mode's `hook` tool. Where the hooks module does not run, this server answers every
 * guarded call's hooks, and a hook not answered in time lets the call go on unchecked (strict mode
 * aside). A model holds its tools: one slow call (a large workflow to check, a contract to validate)
 * or several at once would queue the hooks behind them on one thread. Each tool's work is bounded
 * (about 2 s at worst, test/guard/linear-time.test.ts), but only a second thread makes the hooks wait for
 * none of it (found by review, 2026-12-01).
 *
 * One worker, started at the first tool call (the server starts light: Claude Code waits for it) and kept,
 * since tools keep state between calls (drive_workflow's runs). A worker that dies is replaced at the
 * next call, and the calls it held are answered with an error.
 */
import { isMainThread, parentPort, Worker } from 'node:worker_threads'
import type { ToolAnswer } from './tool-calls.ts'
import type { ToolEnvironment } from './tools.ts'

/**
 * The main thread's side: a function that hands a tool call to the worker and waits for its answer. `warm`:
 * start the worker now, so the tools' bundle loads while nothing waits for it (see server.ts for when).
 */
export function toolsOnWorker(
  script: URL,
  { warm = false } = {},
): (name: string, args: unknown) => Promise<ToolAnswer> {
  // Each thread answers for its own calls: a thread that failed reports `error`, then `exit` a moment
  // later, and the second report must not fail calls already handed to its successor (found by review).
  type Thread = {
    thread: Worker
    waiting: Map<number, { resolve: (answer: ToolAnswer) => void; reject: (error: Error) => void }>
  }
  let worker: Thread | undefined
  let next = 0
  const start = (): Thread => {
    const started = new Worker(script, { workerData: { role: WORKER_ROLE } })
    const own: Thread = { thread: started, waiting: new Map() }
    const { waiting } = own
    started.on('message', (reply: Reply) => {
      // A thread whose bundle did not load ends after this answer: the next call starts a new one.
      if ('error' in reply && reply.ending && worker === own) worker = undefined
      const call = waiting.get(reply.id)
      if (!call) return
      waiting.delete(reply.id)
      // Idle, the worker holds nothing open: Claude Code stops the server by closing its input. Busy, it
      // does, so that the calls asked before that are answered first (stdio.ts).
      if (waiting.size === 0) started.unref()
      if ('answer' in reply) call.resolve(reply.answer)
      else call.reject(Object.assign(new Error(reply.error.message), reply.error))
    })
    const lost = (why: string): void => {
      if (worker === own) worker = undefined
      for (const [id, call] of waiting) {
        waiting.delete(id)
        call.reject(
          new Error(`the thread that runs Switchboard's tools stopped (${why}); the next call starts a new one`),
        )
      }
    }
    started.on('error', (thrown) => lost(thrown.message))
    started.on('exit', (code) => lost(`exit code ${code}`))
    return own
  }
  if (warm) {
    try {
      worker = start()
      worker.thread.unref() // idle, it holds nothing open: Claude Code stops the server by closing its input
    } catch {
      worker = undefined // no thread now (ERR_WORKER_INIT_FAILED): the first call tries again, and says why
    }
  }
  return (name, args) =>
    new Promise<ToolAnswer>((resolve, reject) => {
      worker ??= start()
      const { thread, waiting } = worker
      const id = next++
      // Arguments the structured clone cannot copy (nested 20,000 deep: found by review) fail this call only.
      try {
        thread.postMessage({ id, name, args } satisfies Call)
      } catch (thrown) {
        reject(thrown)
        return
      }
      waiting.set(id, { resolve, reject })
      thread.ref()
    })
}

/** Whether this thread is the tools' worker (the server's own bundle runs both sides). */
export function isToolsWorker(data: unknown): boolean {
  return !isMainThread && (data as { role?: unknown } | null)?.role === WORKER_ROLE
}

/** The worker's side: load the tools' bundle (beside the server's once built) and answer each call. */
export function serveTools(toolsBundle: URL): void {
  const port = parentPort
  if (!port) return
  const tools: Promise<typeof import('./tool-calls.ts')> = import(toolsBundle.href)
  // A thread started warm may fail to load before any call: the first call's handler says so (below).
  tools.catch(() => undefined)
  const fail = (id: number, thrown: unknown, ending = false): void => {
    const { name = 'Error', message = String(thrown), stack } = (thrown ?? {}) as Partial<Error>
    port.postMessage({
      id,
      error: { name, message, ...(stack ? { stack } : {}) },
      ...(ending ? { ending } : {}),
    } satisfies Reply)
  }
  port.on('message', async ({ id, name, args }: Call) => {
    let loaded: Awaited<typeof tools>
    try {
      loaded = await tools
    } catch (thrown) {
      // Node keeps a module that failed to load, and would fail again: this thread ends, and the next
      // call's new thread loads the bundle afresh (a repaired install works without a new session).
      const why = (thrown as Error | undefined)?.message ?? String(thrown)
      fail(
        id,
        {
          name: 'SwitchboardError',
          message: `its tools bundle (mcp/tools.mjs) did not load (${why}): the install is damaged. Reinstall Switchboard (claude plugin install switchboard@<marketplace>), or run \`npm run build\` in a checkout`,
        },
        true,
      )
      setImmediate(() => process.exit(1))
      return
    }
    try {
      port.postMessage({ id, answer: await loaded.callTool(name, args, environment()) } satisfies Reply)
    } catch (thrown) {
      fail(id, thrown)
    }
  })
}

// --- internal ---

const WORKER_ROLE = 'switchboard-tools'

interface Call {
  id: number
  name: string
  args: unknown
}

/** The answer, or what was thrown (its name kept: stdio.ts words Switchboard's own errors apart from bugs). */
type Reply =
  | { id: number; answer: ToolAnswer }
  /** `ending`: the thread stops after this answer (its bundle did not load). */
  | { id: number; error: { name: string; message: string; stack?: string }; ending?: true }

/** Where the tools run: the worker shares the process, so its directory, environment and parent are the server's. */
function environment(): ToolEnvironment {
  return { cwd: process.env.CLAUDE_PROJECT_DIR || process.cwd(), env: process.env, claudePid: process.ppid }
}
