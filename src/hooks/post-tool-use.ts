/**
 * PostToolUse and PostToolUseFailure on Agent|Task and Skill: close the invocation the call opened.
 * Skills run inline and end here. A plugin agent's return was already captured at its SubagentStop
 * (subagent.ts), so on Agent calls what is left is a notice for the caller, or a guided workflow run,
 * whose step's outcome is the end of its call (or of its helper agent; guided-step.ts). An agent call
 * SubagentStop did not end (a built-in agent, a failure, a hook that did not run) ends here: foreground
 * agents report `completed` with duration and tokens; background ones `async_launched` with the
 * child's agentId, and end at SubagentStop. Fails open.
 */
import { callTarget, PostToolUseInputSchema, responseText } from '../protocol/index.ts'
import type { PostToolUseInput } from '../protocol/index.ts'
import { appendRecord, readSessionSnapshot, withSessionLockAsync } from '../trace/index.ts'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { GUIDED_FILE } from '../workflow/guided.ts'
import { agentTranscriptPath, countTurns, lastAssistantText } from '../workflow/turns.ts'
import type { HookDefinition } from './run-hook.ts'
import { takeNotice } from './caller-notice.ts'
import { captureReturn } from './capture-return.ts'
import { recordGuidedOutcome } from './guided-step.ts'
import type { Reading } from './guided-step.ts'
import { sessionFilesOf } from './session-files.ts'
import type { SessionFiles } from './session-files.ts'
import { readTextNoWait } from '../registry/read-bounded.ts'

export const postToolUseHook: HookDefinition<PostToolUseInput> = {
  name: 'post-tool-use',
  onFailure: 'open',
  input: PostToolUseInputSchema,
  handle: async (input, env) => {
    if (!callTarget(input.tool_name, input.tool_input)) return undefined
    const files = sessionFilesOf(input.session_id, input.cwd, env)
    const notice = takeNotice(files.dir, input.tool_use_id)
    const guided = existsSync(join(files.dir, GUIDED_FILE))
    const closed = close(files, input, guided)
    if (guided) {
      const failure =
        input.hook_event_name === 'PostToolUseFailure'
          ? String(input.error ?? 'the tool call failed').slice(0, 500)
          : undefined
      const failed = failure ?? closed.failed
      const end =
        failed !== undefined
          ? { failed }
          : { text: responseText(input.tool_response) ?? '', ...(closed.reading ? { reading: closed.reading } : {}) }
      const turns = await agentTurns(input)
      await withSessionLockAsync(files.dir, () =>
        recordGuidedOutcome(files.dir, input.tool_use_id, end, readSessionSnapshot(files.dir), turns),
      )
    }
    const tell = notice ?? (closed.told ? undefined : closed.reading?.problem)
    return tell ? { hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: tell } } : undefined
  },
}

/** Past this an agent's transcript is not read for its turns (they count as unknown). */
const MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024

/**
 * The model turns of the agent the call ran, from its transcript (a workflow's `turns` budget). Answered
 * in Switchboard's running MCP server, this hook can come before Claude Code has written the agent's last
 * message (2.1.197: one turn short, where a hook process's start took longer than the write), or before it
 * has written the transcript at all (2.1.197 on a loaded machine: the turns read as none, so a step past
 * the budget ran; CI at d2aa49b): the transcript is read again (when it grew, or once it is there) until it
 * ends with the answer the call returned, for at most a second.
 */
async function agentTurns(input: PostToolUseInput): Promise<number | undefined> {
  const agent = (input.tool_response as { agentId?: unknown } | undefined)?.agentId
  if (typeof agent !== 'string' || !input.transcript_path) return undefined
  return transcriptTurns(agentTranscriptPath(input.transcript_path, agent), responseText(input.tool_response))
}

/**
 * The turns in an agent's transcript once it ends with `answer` (any end where there is no answer to wait
 * for), else what it holds at `waitMs`; undefined where it never appeared or cannot be read.
 */
export async function transcriptTurns(
  file: string,
  answer: string | undefined,
  waitMs = 1_000,
): Promise<number | undefined> {
  // A real deadline, and a file read and parsed again only when it grew: the server's other hooks wait meanwhile.
  const deadline = performance.now() + waitMs
  let size = -1
  let text: string | undefined
  for (;;) {
    try {
      const now = statSync(file).size
      if (now !== size) {
        size = now
        text = readTextNoWait(file, MAX_TRANSCRIPT_BYTES)
        if (answer === undefined || lastAssistantText(text) === answer) return countTurns(text)
      }
    } catch (thrown) {
      // Not written yet is worth waiting for; anything else (a folder, a pipe, past the bound) is not.
      if ((thrown as NodeJS.ErrnoException).code !== 'ENOENT') return undefined
    }
    if (performance.now() >= deadline) return text === undefined ? undefined : countTurns(text)
    await new Promise((resolve) => setTimeout(resolve, TRANSCRIPT_POLL_MS))
  }
}

const TRANSCRIPT_POLL_MS = 20

/** Ends the call's invocation, reading an agent's return against its contract. */
function close(
  files: SessionFiles,
  input: PostToolUseInput,
  guided: boolean,
): { reading?: Reading; failed?: string; told?: true } {
  const invocation = files.invocations.get(input.tool_use_id)
  if (!invocation || invocation.status === 'denied') return {}
  const now = Date.now()
  if (input.hook_event_name === 'PostToolUseFailure') {
    // Failed, even where its agent's SubagentStop came first.
    appendRecord(files.dir, {
      e: 'end',
      id: invocation.id,
      status: 'failed',
      ts: now,
      reason: String(input.error ?? 'the tool call failed').slice(0, 500),
    })
    return {}
  }
  // SubagentStop runs before PostToolUse for foreground agents and has ended the call (and left any
  // notice for the caller); only a guided workflow run needs the return again.
  if (invocation.status !== 'running') {
    if (!guided) return {}
    const text = invocation.kind === 'agent' ? responseText(input.tool_response) : undefined
    return text === undefined
      ? {}
      : { reading: captureReturn(files.dir, invocation, text, readSessionSnapshot(files.dir)), told: true }
  }
  const response = (input.tool_response ?? {}) as {
    status?: unknown
    agentId?: unknown
    totalDurationMs?: unknown
    totalTokens?: unknown
  }
  if (typeof response.agentId === 'string')
    appendRecord(files.dir, { e: 'link', id: invocation.id, agent: response.agentId, ts: now, how: 'post-tool-use' })
  if (response.status === 'async_launched') return {} // ends at SubagentStop
  // A forked skill answers `forked` when its fork finished (2.1.197 and later).
  const ok = response.status === undefined || response.status === 'completed' || response.status === 'forked'
  // Skills run inline: their tool response is the skill's instructions, not a result to capture.
  const text = ok && invocation.kind === 'agent' ? responseText(input.tool_response) : undefined
  const reading =
    text === undefined ? undefined : captureReturn(files.dir, invocation, text, readSessionSnapshot(files.dir))
  appendRecord(files.dir, {
    e: 'end',
    id: invocation.id,
    // A return that breaks its contract is a failed call, the problem its reason (as at SubagentStop).
    status: ok && !reading?.problem ? 'ok' : 'failed',
    ts: now,
    ...(typeof response.totalDurationMs === 'number' ? { durationMs: response.totalDurationMs } : {}),
    ...(typeof response.totalTokens === 'number' ? { tokens: response.totalTokens } : {}),
    ...(reading?.problem ? { reason: reading.problem } : {}),
  })
  if (!ok) return { failed: `the agent ended ${String(response.status)}` }
  return reading ? { reading } : {}
}
