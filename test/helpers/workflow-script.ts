/**
 * Compiled workflow scripts, compiled and run in Node as Claude Code's Workflow tool runs them: the
 * script body in an async function, with `agent`, `log`, `args` and the timers as its globals.
 * `agent` is the test's; the calls it received are returned for assertions.
 */
import { checkWorkflow, compileWorkflow, resolveForCompile } from '../../src/workflow/index.ts'
import type { Policy } from '../../src/guard/index.ts'
import type { Workflow } from '../../src/workflow/index.ts'
import { context, workflowOf } from './workflows.ts'

export function compile(workflow: Workflow, fixed: Record<string, string> = {}, overrides: Partial<Policy> = {}) {
  const ctx = context(overrides)
  const errors = checkWorkflow(workflow, ctx).filter((d) => d.severity === 'error')
  if (errors.length > 0) throw new Error(`workflow check fails: ${errors.map((d) => d.message).join('; ')}`)
  const resolved = resolveForCompile(workflow, ctx)
  if (resolved.problems.length > 0)
    throw new Error(`not compiled: ${resolved.problems.map((p) => p.message).join('; ')}`)
  return compileWorkflow({ workflow, steps: resolved.steps, fixed, source: workflow.file })
}

export const compileYaml = (yaml: string, fixed: Record<string, string> = {}) => compile(workflowOf(yaml), fixed).script

export interface AgentCall {
  prompt: string
  opts: { label: string; phase: string; agentType: string }
}

/** What a fake agent does with a call: its final text, null, or a throw (a refused spawn). */
export type FakeAgent = (call: AgentCall, index: number) => Promise<string | null> | string | null

export async function runScript(
  script: string,
  agent: FakeAgent,
  options: { args?: unknown; setTimeout?: typeof setTimeout } = {},
) {
  const calls: AgentCall[] = []
  const logs: string[] = []
  const body = script.replace(/^export const meta = /, 'const meta = ')
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...names: string[]
  ) => (...values: unknown[]) => Promise<unknown>
  const run = new AsyncFunction('agent', 'log', 'args', 'setTimeout', 'clearTimeout', body)
  const fake = async (prompt: string, opts: AgentCall['opts']): Promise<string | null> => {
    const call = { prompt, opts }
    calls.push(call)
    return agent(call, calls.length - 1)
  }
  const result = (await run(
    fake,
    (line: string) => logs.push(line),
    options.args,
    options.setTimeout ?? setTimeout,
    clearTimeout,
  )) as RunResult
  return { result, calls, logs }
}

interface RunResult {
  workflow: string
  status: 'ok' | 'failed' | 'budget_exhausted'
  reason?: string
  outputs: Record<string, unknown>
  steps: Record<string, { status: string; target: string; attempts: number; error?: string }>
  calls: number
}

/** The literal PLAN of a script, read back as data. */
export function planOf(script: string): Record<string, unknown> {
  const start = script.indexOf('const PLAN = ') + 'const PLAN = '.length
  const end = script.indexOf('\n}\n', start) + 2
  return JSON.parse(script.slice(start, end)) as Record<string, unknown>
}
