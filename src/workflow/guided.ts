/**
 * Guided runs: how a workflow runs where only the settings hooks run (Claude Code before 2.1.287, or
 * hooks modules switched off). No Switchboard code can make a call there, so the model makes each
 * one, and the run engine (run-engine.ts) still makes every decision:
 * - the MCP tool `run_workflow` (mcp/run-workflow-tool.ts) calls `advance` and hands the model the
 *   calls to make now. An agent step is an Agent call whose prompt is only the step's token; a command
 *   or skill step is a `general-purpose` helper agent told to make exactly one Skill call (a skill's
 *   text cannot come back from a tool), as in module mode (`helperPrompt`).
 * - PreToolUse (hooks/guided-step.ts) lets through only calls the engine handed out, each once: a call
 *   with a token swaps in the planned input (filled arguments, slots), so the model cannot alter a
 *   step; a call to a step's target without its token is refused while the step waits. Then the guard
 *   checks it and injects context like any call, and the trace record names the run and the step.
 * - PostToolUse stores the step's outcome (the return read against the output contract, or the
 *   failure); the next `run_workflow` call settles it, writes the receipt and hands out what follows.
 * This file is the protocol they share, runtime-neutral: the token, what is expected, the matching.
 * The file itself (`GUIDED_FILE`, in the session folder) is written under the session lock.
 */
import type { CallOutcome } from './run-engine.ts'

/** In the session folder: the calls the engine handed out and their outcomes, for every guided run. */
export const GUIDED_FILE = 'workflow-guided.json'

/** One call handed to the model, and what became of it. */
export interface ExpectedCall {
  run: string
  /** The workflow's name (and plugin), for the trace records of its calls. */
  workflow: { name: string; plugin?: string }
  step: string
  attempt: number
  /** The component the step calls. */
  target: string
  kind: 'agent' | 'command' | 'skill'
  /** The planned tool input: Agent `{subagent_type, description, prompt}` or Skill `{skill, args}`. */
  input: Record<string, unknown>
  /** The slot the step's value goes to (a command or skill step's; an agent step's is in its prompt). */
  into?: string
  /** The tool_use_id of the step's call once made (each token is used once). */
  made?: string
  /** A command or skill step: the tool_use_id of the helper agent's call once made. */
  helper?: string
  outcome?: CallOutcome
}

export interface GuidedRuns {
  /** By token. */
  expected: Record<string, ExpectedCall>
}

/** The text that names one call of a run: the whole prompt of an agent step's Agent call. */
export function stepToken(run: string, step: string, attempt: number): string {
  return `switchboard-step ${run}/${step}/${attempt}`
}

/** The model's tool call for an expected call. */
export function handOut(token: string, expected: ExpectedCall): { tool: 'Agent'; input: Record<string, unknown> } {
  if (expected.kind === 'agent') {
    return {
      tool: 'Agent',
      input: {
        subagent_type: expected.target,
        description: `Workflow step ${expected.step}`,
        prompt: token,
        run_in_background: false,
      },
    }
  }
  return {
    tool: 'Agent',
    input: {
      subagent_type: 'general-purpose',
      description: `Switchboard workflow step ${expected.step}`,
      prompt: `${helperPrompt(expected.workflow.name, expected.step, expected.kind, expected.input)}\n\n(${token})`,
      run_in_background: false,
    },
  }
}

/** What a helper agent is told, in both runtimes: make exactly this Skill call, answer with its result only. */
export function helperPrompt(
  workflowName: string,
  step: string,
  kind: 'command' | 'skill',
  skillInput: Record<string, unknown>,
): string {
  return [
    `Switchboard is running the workflow ${workflowName}, step ${step}. Make exactly this one Skill tool call, with the input unchanged:`,
    '',
    JSON.stringify({ skill: skillInput.skill, args: skillInput.args }),
    '',
    `Then do what the ${kind} asks, and answer with its result only (the JSON or text it asks for), nothing else.`,
  ].join('\n')
}

export type GuidedMatch =
  /** The step's own call (an agent step's Agent call, or the helper's Skill call): made with `expected.input`. */
  | { role: 'call'; token: string; expected: ExpectedCall }
  /** The helper agent of a command or skill step: passes unchanged. */
  | { role: 'helper'; token: string; expected: ExpectedCall }
  /** A call the run did not hand out, or not now: refused, with what to do instead. */
  | { role: 'refused'; problem: string }

/**
 * What a tool call is to the guided runs of the session; undefined when it has nothing to do with
 * them. Only Agent and Skill calls of plugin components or helpers are looked at.
 */
export function matchGuided(
  runs: GuidedRuns,
  tool: 'Agent' | 'Skill',
  input: Record<string, unknown>,
): GuidedMatch | undefined {
  const entries = Object.entries(runs.expected)
  if (entries.length === 0) return undefined
  const text = String((tool === 'Agent' ? input.prompt : input.args) ?? '')
  const token = TOKEN.exec(text)?.[0]
  const target = String((tool === 'Agent' ? input.subagent_type : input.skill) ?? '')
  const again = (e: ExpectedCall) => `Call run_workflow with {"run": "${e.run}"} for the calls the run expects now.`
  if (tool === 'Agent' && token) {
    const expected = runs.expected[token]
    if (!expected)
      return {
        role: 'refused',
        problem: `${token} is not a call the workflow run expects now (it was made already, or the run ended). ${again({ run: token.split(' ')[1]!.split('/')[0]! } as ExpectedCall)}`,
      }
    if (expected.kind === 'agent') {
      if (target !== expected.target)
        return {
          role: 'refused',
          problem: `${token} is a call to ${expected.target}, not to ${target}. Make it as run_workflow gave it.`,
        }
      if (expected.made)
        return {
          role: 'refused',
          problem: `${token} was made already; each step's call is made once. ${again(expected)}`,
        }
      return { role: 'call', token, expected }
    }
    if (target !== 'general-purpose')
      return {
        role: 'refused',
        problem: `${token} is made by a general-purpose helper agent, not by ${target}. Make it as run_workflow gave it.`,
      }
    if (expected.helper)
      return { role: 'refused', problem: `the helper for ${token} was started already. ${again(expected)}` }
    return { role: 'helper', token, expected }
  }
  // A Skill call of a step: by a helper that was started, exactly as planned.
  if (tool === 'Skill') {
    const waiting = entries.filter(([, e]) => e.kind !== 'agent' && !e.made && e.target === target)
    const exact = waiting.find(([, e]) => e.helper && String(e.input.args ?? '') === text)
    if (exact) return { role: 'call', token: exact[0], expected: exact[1] }
    if (waiting.length > 0)
      return {
        role: 'refused',
        problem: `a workflow run waits for its step that calls ${target}; that call is made by the step's helper agent, exactly as run_workflow gave it. ${again(waiting[0]![1])}`,
      }
    return undefined
  }
  const waiting = entries.find(([, e]) => e.kind === 'agent' && !e.made && e.target === target)
  if (waiting)
    return {
      role: 'refused',
      problem: `a workflow run waits for its step ${waiting[1].step}, which calls ${target}: make that call with the prompt "${waiting[0]}" exactly, as run_workflow gave it (Switchboard fills in the step's arguments). ${again(waiting[1])}`,
    }
  return undefined
}

/** The expected call a finished tool call made: the step's own call (an agent, or a helper's Skill call), or a helper. */
export function expectedOfToolUse(
  runs: GuidedRuns,
  toolUseId: string,
): { token: string; expected: ExpectedCall; as: 'call' | 'helper' } | undefined {
  for (const [token, expected] of Object.entries(runs.expected)) {
    if (expected.made === toolUseId) return { token, expected, as: 'call' }
    if (expected.helper === toolUseId) return { token, expected, as: 'helper' }
  }
  return undefined
}

// --- internal ---

const TOKEN = /switchboard-step wf_[a-z0-9]+\/[A-Za-z0-9_-]+\/\d+/
