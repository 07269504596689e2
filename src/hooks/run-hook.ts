/**
 * The frame of every hook process: read stdin, parse it, decide, write stdout only when there is a
 * decision. On any error: one stderr line `switchboard <hook>: <problem>. <fix>.` and the exit code
 * of the hook's declared failure mode (1 = fail open: Claude Code shows a notice and goes on;
 * 2 = fail closed: the action is blocked where the event can block). Never a stack trace.
 */
import type * as z from 'zod/mini'
import { flattenIssues, isSwitchboardError } from '../common/index.ts'

/** The environment a hook reads (the process's, or a test's). */
export type HookEnv = Readonly<Record<string, string | undefined>>

export interface HookDefinition<Input> {
  name: string
  /** What an internal error does: 'open' lets the action go on, 'closed' blocks it (decided when it happens). */
  onFailure: 'open' | 'closed' | ((env: HookEnv) => 'open' | 'closed')
  input: z.ZodMiniType<Input>
  /** `elapsedMs`: how long this hook has run, for waits that must end inside Claude Code's hook timeout. */
  handle: (input: Input, env: HookEnv, elapsedMs: () => number) => unknown | Promise<unknown>
}

/** What Claude Code reads back from a hook process. */
export interface HookResult {
  stdout: string
  stderr: string
  /** 0, or the failure mode: 1 = fail open (a notice, the action goes on), 2 = fail closed. */
  exitCode: 0 | 1 | 2
}

/**
 * One run of a hook with its I/O as values: the text on stdin and the environment in, the process's answer out.
 * `elapsedMs` counts from the hook's start: a process's own start (Node's start-up counts against the
 * hook's timeout), or the call's arrival in the MCP server that answers it (mcp/hook-tool.ts).
 */
export async function answerHook<Input>(
  definition: HookDefinition<Input>,
  stdin: string,
  env: HookEnv,
  elapsedMs: () => number = () => process.uptime() * 1_000,
): Promise<HookResult> {
  try {
    let raw: unknown
    try {
      raw = JSON.parse(stdin)
    } catch {
      throw new HookFailure(
        'stdin is not JSON',
        'Claude Code sends the hook input as JSON on stdin; run this hook only from hooks.json',
      )
    }
    const parsed = definition.input.safeParse(raw)
    if (!parsed.success) {
      const issues = flattenIssues(parsed.error.issues)
      throw new HookFailure(
        `unexpected hook input (${issues})`,
        'check that this hook is registered for the right event in hooks/hooks.json',
      )
    }
    const output = await definition.handle(parsed.data, env, elapsedMs)
    return { stdout: output === undefined ? '' : `${JSON.stringify(output)}\n`, stderr: '', exitCode: 0 }
  } catch (thrown) {
    const line =
      thrown instanceof HookFailure
        ? `${thrown.message}. ${thrown.fix}`
        : (stateProblem(thrown) ??
          (isSwitchboardError(thrown)
            ? (thrown as Error).message
            : `${(thrown as Error)?.message ?? String(thrown)}. This is a Switchboard bug; please report it`))
    const mode = typeof definition.onFailure === 'function' ? definition.onFailure(env) : definition.onFailure
    return {
      stdout: '',
      stderr: `switchboard ${definition.name}: ${line.replace(/\s+/g, ' ')}.\n`,
      exitCode: mode === 'open' ? 1 : 2,
    }
  }
}

/** The hook as a process (its bundle's entry, src/hooks/entries/): stdin, process.env, stdout, stderr, exit code. */
export function runHook<Input>(definition: HookDefinition<Input>): void {
  readStdin()
    .catch(() => '') // an unreadable stdin is answered as input that is not JSON
    .then((text) => answerHook(definition, text, process.env))
    .then((result) => {
      if (result.stdout) process.stdout.write(result.stdout)
      if (result.stderr) process.stderr.write(result.stderr)
      process.exitCode = result.exitCode
    })
}

/** A failure with its fix, for the single stderr line. */
export class HookFailure extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message)
  }
}

// --- internal ---

/** A file system refusal on Switchboard's state (not our bug): what failed, and the fix. */
function stateProblem(thrown: unknown): string | undefined {
  // A refusal wrapped in one of ours (SNAPSHOT_UNWRITABLE) keeps its code in `cause`.
  const cause = (thrown as { cause?: unknown } | null)?.cause
  const error = (
    cause && typeof (cause as NodeJS.ErrnoException).code === 'string' ? cause : thrown
  ) as NodeJS.ErrnoException
  if (!['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOSPC', 'EDQUOT'].includes(error?.code ?? '')) return undefined
  return `cannot write Switchboard's state ${error.path ?? ''} (${error.code}). Make Switchboard's data folder writable (or free space), or set SWITCHBOARD_DATA_DIR to a writable folder`
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk))
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    process.stdin.on('error', reject)
  })
}
