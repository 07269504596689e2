/**
 * Runs the orchestrations on the real Claude Code, each in a fresh project and HOME, with the
 * example plugins loaded beside Switchboard, and reads back what happened (flow.ts). With the
 * stand-in model (test/harness) it is offline and free; `live` sends the same prompts to the real
 * API instead, and spends tokens.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PinnedVersion } from '../../test/helpers/claude.ts'
import { EXAMPLES } from '../../test/helpers/plugins.ts'
import { runDataDir, runtimeOf } from '../../test/helpers/trace.ts'
import { runClaude } from '../../test/harness/index.ts'
import { PROJECT_FILES } from './content.ts'
import { readFlow } from './flow.ts'
import type { Flow } from './flow.ts'
import { ALLOWED_TOOLS } from './scenarios.ts'
import type { Orchestration, Runtime } from './scenarios.ts'

export interface DemoOptions {
  version: PinnedVersion
  /** A real model instead of the stand-in: the API key, and the API's address when not the default. */
  live?: { apiKey: string; baseUrl?: string }
}

export interface Report extends Flow {
  orchestration: Orchestration
  version: PinnedVersion
  runtime: Runtime
  live: boolean
  ok: boolean
  /** Why the run is not ok, for the reader. */
  problems: string[]
  /** The whole `claude -p` run, start to exit. */
  wallMs: number
  /** Model requests the stand-in answered (null when live: the API counts them). */
  modelRequests: number | null
  /** Claude Code's own figure for a live run. */
  costUsd: number | null
}

/** The runtime a pinned version gives Switchboard: hooks modules load from 2.1.287 on. */
export const runtimeFor = (version: string): Runtime => (version === '2.1.197' ? 'settings' : 'module')

export async function runOrchestration(orchestration: Orchestration, options: DemoOptions): Promise<Report> {
  const runtime = runtimeFor(options.version)
  const cwd = mkdtempSync(join(tmpdir(), `switchboard-demo-${orchestration.id}-`))
  for (const [name, text] of Object.entries(PROJECT_FILES)) writeFileSync(join(cwd, name), text)
  const started = Date.now()
  const run = await runClaude({
    version: options.version,
    cwd,
    prompt: orchestration.prompt,
    plugins: EXAMPLES,
    allowedTools: ALLOWED_TOOLS,
    // Live: the harness still starts its stand-in, but Claude Code is pointed at the real API, so no
    // request reaches it (the scenario is empty to make that plain).
    scenario: options.live ? { main: [] } : orchestration.scenario(runtime),
    ...(options.live
      ? {
          env: {
            ANTHROPIC_API_KEY: options.live.apiKey,
            ANTHROPIC_BASE_URL: options.live.baseUrl ?? 'https://api.anthropic.com',
          },
        }
      : {}),
    timeoutMs: options.live ? 900_000 : 120_000,
  })
  const wallMs = Date.now() - started
  const sessionId = typeof run.init?.session_id === 'string' ? run.init.session_id : undefined
  const flow: Flow = sessionId ? readFlow(runDataDir(run), run.home, sessionId) : { calls: [], slots: [] }
  const problems = [
    ...(run.timedOut ? ['Claude Code did not finish in time and was stopped.'] : []),
    ...(run.exitCode !== 0 && !run.timedOut
      ? [
          `Claude Code exited with ${run.exitCode}: ${run.stderr.trim().split('\n').slice(-3).join(' ') || 'no message'}`,
        ]
      : []),
    ...(sessionId ? [] : ['Claude Code started no session (no init event).']),
    ...(flow.calls.length === 0 ? ['Switchboard traced no call.'] : []),
    ...(sessionId && flow.calls.length > 0 && runtimeOf(run) !== runtime
      ? [
          `the ${runtimeOf(run)} runtime traced the calls, where Claude Code ${options.version} should run the ${runtime} one (switchboard doctor says why).`,
        ]
      : []),
    ...flow.calls
      .filter((c) => c.status !== 'ok')
      .map((c) => `${c.target} ${c.status}${c.reason ? `: ${c.reason}` : ''}`),
  ]
  const cost = run.result?.total_cost_usd
  return {
    ...flow,
    orchestration,
    version: options.version,
    runtime,
    live: Boolean(options.live),
    ok: problems.length === 0,
    problems,
    wallMs,
    modelRequests: options.live ? null : run.requests.length,
    costUsd: options.live && typeof cost === 'number' ? cost : null,
  }
}
