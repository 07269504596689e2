/**
 * The demo's last part: Growth → All as a declared workflow (examples/tdd-growth/workflows/distribute.yaml),
 * run with /switchboard:run, stopped the moment its last step starts (the process group killed, as a
 * crash or Ctrl-C would), then run again in the same project. Switchboard's receipts make the second
 * run redo nothing that finished: the stand-in model's requests per agent show it, and so does the
 * run's own answer (each step `reused` or `ok`). In module mode the hooks module runs the steps; in
 * settings mode run_workflow hands them to the model one wave at a time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { foldInvocations, readRecords, sessionDir } from '../../src/trace/index.ts'
import type { PinnedVersion } from '../../test/helpers/claude.ts'
import { workflowAnswers } from '../../test/helpers/conversation.ts'
import { EXAMPLES } from '../../test/helpers/plugins.ts'
import { runDataDir } from '../../test/helpers/trace.ts'
import { DEFAULT_TOOLS, runClaude, say } from '../../test/harness/index.ts'
import type { ClaudeRun, Scenario } from '../../test/harness/index.ts'
import { ARTICLE_EDITED, ART, BRIEF, PROJECT_FILES, SEO } from './content.ts'
import { readFlow } from './flow.ts'
import type { CallView } from './flow.ts'
import { runtimeFor } from './run.ts'
import type { Runtime } from './scenarios.ts'

export const RESUME = {
  title: 'A workflow, stopped and run again',
  story:
    'Growth → All as a declared workflow: the fan-out runs, the process is killed as the summary starts, and the same command run again redoes nothing that finished.',
  prompt: '/switchboard:run tdd-growth:distribute article=@article.md',
  /** The stand-in's conversations, by what the demo calls them. */
  agents: {
    'tdd-editor:editor': 'editor',
    'tdd-design:illustrator': 'illustrator',
    seoHelper: 'SEO helper',
    'tdd-growth:summarizer': 'summarizer',
  } as Record<string, string>,
}

export interface ResumeRun {
  /** `step status`, from the run's answer (or, for the killed run, from the trace). */
  steps: string[]
  /** Requests the stand-in model answered, per agent conversation. */
  requests: Record<string, number>
  /** What the run traced (the resumed run: only the step that had not finished). */
  calls: CallView[]
  wallMs: number
}

export interface ResumeReport {
  version: PinnedVersion
  runtime: Runtime
  first: ResumeRun
  again: ResumeRun
  ok: boolean
  problems: string[]
}

export async function runResume(version: PinnedVersion): Promise<ResumeReport> {
  const cwd = mkdtempSync(join(tmpdir(), 'switchboard-demo-resume-'))
  for (const [name, text] of Object.entries(PROJECT_FILES)) writeFileSync(join(cwd, name), text)
  const options = {
    version,
    cwd,
    prompt: RESUME.prompt,
    plugins: EXAMPLES,
    scenario: SCENARIO,
    allowedTools: [...DEFAULT_TOOLS, 'mcp__plugin_switchboard_switchboard__run_workflow'],
    timeoutMs: 120_000,
  }
  let started = Date.now()
  const killed = await runClaude({ ...options, killAt: (request) => request.conversation === 'tdd-growth:summarizer' })
  const first = { ...read(killed, true), wallMs: Date.now() - started }
  started = Date.now()
  const resumed = await runClaude({ ...options, home: killed.home })
  const again = { ...read(resumed, false), wallMs: Date.now() - started }
  // The killed run's steps come from its trace, in the order they started: show them in the workflow's.
  const order = again.steps.map((step) => step.split(' ')[0])
  first.steps.sort((a, b) => order.indexOf(a.split(' ')[0]) - order.indexOf(b.split(' ')[0]))
  const answer = workflowAnswers(resumed).at(-1)
  const redone = Object.entries(again.requests)
    .filter(([agent, n]) => n > 0 && agent !== 'tdd-growth:summarizer')
    .map(([agent]) => RESUME.agents[agent])
  const problems = [
    ...(first.requests['tdd-growth:summarizer'] === 1 ? [] : ['the first run was not stopped as its summary started']),
    ...(answer?.status === 'ok'
      ? []
      : [
          `the second run answered ${String(answer?.status ?? 'nothing')}: ${String(answer?.message ?? resumed.stderr.trim().split('\n').at(-1) ?? '')}`,
        ]),
    ...(redone.length === 0 ? [] : [`the second run asked the ${redone.join(', ')} again`]),
  ]
  return { version, runtime: runtimeFor(version), first, again, ok: problems.length === 0, problems }
}

// --- internal ---

const SCENARIO: Scenario = {
  // The person's session follows /switchboard:run as it says, in either runtime.
  main: Array.from({ length: 10 }, () => ({ followPlan: true as const })),
  agents: {
    'tdd-editor:editor': [say(ARTICLE_EDITED)],
    'tdd-design:illustrator': [say(JSON.stringify(ART))],
    seoHelper: {
      matchPrompt: 'step seo. Make exactly this one Skill tool call',
      turns: [{ followPlan: true }, say(JSON.stringify(SEO))],
    },
    'tdd-growth:summarizer': [say(JSON.stringify(BRIEF))],
  },
  maxRequests: 40,
}

function read(run: ClaudeRun, killed: boolean): Omit<ResumeRun, 'wallMs'> {
  const requests = Object.fromEntries(
    Object.keys(RESUME.agents).map((agent) => [agent, run.requests.filter((r) => r.conversation === agent).length]),
  )
  const sessionId = typeof run.init?.session_id === 'string' ? run.init.session_id : undefined
  if (!sessionId) return { steps: [], requests, calls: [] }
  const calls = readFlow(runDataDir(run), run.home, sessionId).calls
  const answer = workflowAnswers(run).at(-1) as { steps?: Array<{ id: string; status: string }> } | undefined
  if (!killed && answer?.steps) return { steps: answer.steps.map((s) => `${s.id} ${s.status}`), requests, calls }
  // Killed: the run never answered; its trace says how far it got.
  const traced = [...foldInvocations(readRecords(sessionDir(runDataDir(run), sessionId))).values()].filter(
    (i) => i.workflow,
  )
  return {
    steps: traced.map((i) => `${i.workflow!.step} ${i.status === 'running' ? 'killed' : i.status}`),
    requests,
    calls,
  }
}
