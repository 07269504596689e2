/**
 * `plan_workflow`: what `switchboard workflow plan` prints, for the model in a session where only the
 * settings hooks run (2.1.197), which cannot run a workflow yet (/switchboard:run says so). A plugin's
 * workflow comes from the registry snapshot (parsed there); a path must be inside the project, and so
 * must every `input=@file`: the plan shows input values, and the model must not read other files through it.
 */
import { readFileSync, realpathSync } from 'node:fs'
import { resolve, sep } from 'node:path'
import { renderPlan } from '../cli/index.ts'
import { inert } from '../common/index.ts'
import { loadPolicy, splitArguments } from '../guard/index.ts'
import { claudeLocations } from '../registry/index.ts'
import { checkWorkflow, parseWorkflow, planWorkflow, readWorkflowFile } from '../workflow/index.ts'
import type { Workflow } from '../workflow/index.ts'
import { registryOf } from './tools.ts'
import type { ToolEnvironment } from './tools.ts'

export function planWorkflowTool(environment: ToolEnvironment, args: { line: string }): string {
  const [spec, ...words] = splitArguments(args.line)
  if (!spec) return 'Nothing to plan. Usage: /switchboard:run <plugin:workflow | path> [input=value | input=@file ...]'
  const registry = registryOf(environment)
  const project = realpathSync(environment.cwd)
  const records = registry.plugins.flatMap((plugin) => (plugin.workflows ?? []).map((record) => ({ plugin: plugin.name, record })))
  const isPath = /[/\\]/.test(spec) || /\.(ya?ml|json)$/.test(spec) || !spec.includes(':')
  let workflow: Workflow | null
  let problems: string[] = []
  const found = isPath ? records.find((r) => r.record.file === inside(project, spec)) : records.find((r) => r.record.id === spec)
  if (found?.record.document !== undefined) {
    const read = parseWorkflow(found.record.document, { file: found.record.file, name: found.record.name, plugin: found.plugin })
    workflow = read.value
    problems = read.diagnostics.map((d) => d.message)
  } else if (isPath && inside(project, spec)) {
    const read = readWorkflowFile(inside(project, spec)!)
    workflow = read.value
    problems = read.diagnostics.map((d) => d.message)
  } else {
    return `Switchboard has no workflow ${inert(spec)}. Workflows: ${records.map((r) => r.record.id).join(', ') || 'none'} (or a path inside the project).`
  }
  if (!workflow) return `Switchboard cannot read ${inert(spec)}: ${problems.map(inert).join(' ')}`
  const inputs: Record<string, string> = {}
  for (const word of words.filter((w) => w !== '--fresh')) {
    const eq = word.indexOf('=')
    if (eq <= 0) return `"${inert(word)}" is not input=value; write e.g. draft=@draft.md or style=flat.`
    const value = word.slice(eq + 1)
    const file = value.startsWith('@') ? inside(project, value.slice(1)) : undefined
    if (value.startsWith('@') && !file) return `input "${inert(word.slice(0, eq))}": ${inert(value.slice(1))} is not a file inside the project.`
    inputs[word.slice(0, eq)] = file ? readFileSync(file, 'utf8') : value
  }
  const context = { snapshot: registry, policy: loadPolicy(environment.env, claudeLocations(environment.env, environment.cwd).projectDir) }
  const errors = checkWorkflow(workflow, context).filter((d) => d.severity === 'error')
  const plan = planWorkflow(workflow, context, inputs)
  return `${renderPlan(plan, workflow.file, errors.map((d) => `${d.path ?? ''}: ${d.message}`).join('\n'))}\n\nNothing was run: running a workflow needs Switchboard's hooks module (Claude Code 2.1.287 or later), which does not run in this session.`
}

// --- internal ---

/** The real path of a file inside the project, or undefined. */
function inside(project: string, path: string): string | undefined {
  try {
    const real = realpathSync(resolve(project, path))
    return real.startsWith(`${project}${sep}`) ? real : undefined
  } catch {
    return undefined
  }
}
