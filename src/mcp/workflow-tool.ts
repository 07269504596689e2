/**
 * `plan_workflow`: what `switchboard workflow plan` prints, for the model, at no cost; and finding the
 * workflow a request names, for it and for run_workflow (run-workflow-tool.ts). A plugin's workflow
 * comes from the registry snapshot (parsed there); a path must be inside the project, and so must
 * every `input=@file`: the plan shows input values, and the model must not read other files through it.
 */
import { routeCapability } from '../resolve/index.ts'
import { readArgumentFile, renderPlan } from '../cli/index.ts'
import { atFile, inert } from '../common/index.ts'
import type { Loaded } from '../common/index.ts'
import { loadPolicy, splitArguments, UnclosedQuote } from '../guard/index.ts'
import type { Snapshot } from '../guard/index.ts'
import { activeWorkflows, claudeLocations } from '../registry/index.ts'
import {
  checkWorkflow,
  isWorkflowPath,
  MAX_WORKFLOW_BYTES,
  parseWorkflow,
  parseWorkflowText,
  planWorkflow,
  RUN_TIME_CODES,
  workflowKey,
} from '../workflow/index.ts'
import type { Workflow, WorkflowContext } from '../workflow/index.ts'
import { registryOf } from './tools.ts'
import type { ToolEnvironment } from './tools.ts'

/**
 * What a run of `workflow` is judged with (the registry, capability routing, the policy of this
 * project), and the errors that stop it before any call. A call the guard refuses is not one: it is
 * the run's to meet (on_error: fallback, continue, stop), as at call time. Both runners start here.
 */
export function runContext(
  environment: ToolEnvironment,
  registry: Snapshot,
  workflow: Workflow,
): { context: WorkflowContext; problems: string[] } {
  const context = {
    snapshot: registry,
    route: routeCapability,
    policy: loadPolicy(environment.env, claudeLocations(environment.env, environment.cwd).projectDir),
  }
  const problems = checkWorkflow(workflow, context)
    .filter((d) => d.severity === 'error' && !RUN_TIME_CODES.has(d.code))
    .map((d) => `${d.path ? `${d.path}: ` : ''}${d.message}`)
  return { context, problems }
}

export function planWorkflowTool(environment: ToolEnvironment, args: { line: string }): string {
  let line: string[]
  try {
    line = splitArguments(args.line)
  } catch (thrown) {
    if (thrown instanceof UnclosedQuote) return `Cannot read the request: ${thrown.message}.`
    throw thrown
  }
  const [spec, ...words] = line
  if (!spec) return 'Nothing to plan. Usage: /switchboard:run <plugin:workflow | path> [input=value | input=@file ...]'
  const registry = registryOf(environment)
  const found = findWorkflow(environment, registry, spec)
  if ('problems' in found) return found.problems.join(' ')
  const { workflow } = found
  const inputs: Record<string, string> = {}
  for (const word of words.filter((w) => w !== '--fresh')) {
    const eq = word.indexOf('=')
    if (eq <= 0) return `"${inert(word)}" is not input=value; write e.g. draft=@draft.md or style=flat.`
    const given = atFile(word.slice(eq + 1))
    const file = 'file' in given ? readModelFile(environment, given.file) : undefined
    if (file && !file.ok) return `input "${inert(word.slice(0, eq))}": ${inert(file.reason)}`
    inputs[word.slice(0, eq)] = file ? file.text : 'text' in given ? given.text : ''
  }
  const context = {
    snapshot: registry,
    route: routeCapability,
    policy: loadPolicy(environment.env, claudeLocations(environment.env, environment.cwd).projectDir),
  }
  const errors = checkWorkflow(workflow, context).filter((d) => d.severity === 'error')
  const plan = planWorkflow(workflow, context, inputs)
  return `${renderPlan(plan, workflow.file, errors.map((d) => `${d.path ?? ''}: ${d.message}`).join('\n'))}\n\nNothing was run: this is the plan. Run it with /switchboard:run.`
}

/** The workflow `spec` names (a loaded plugin's `plugin:name`, or a file inside the project), and its receipts key. */
export function findWorkflow(
  environment: ToolEnvironment,
  registry: Snapshot,
  spec: string,
): { workflow: Workflow; key: string } | { problems: string[] } {
  const records = activeWorkflows(registry.plugins)
  const isPath = isWorkflowPath(spec)
  // A path is read once, as the model's Read could read it (readModelFile): a path swapped after a check
  // would be refused, and its text is the text the check vouched for.
  const given = isPath ? readModelFile(environment, spec, MAX_WORKFLOW_BYTES) : undefined
  if (given && !given.ok) return { problems: [`Switchboard cannot read ${inert(spec)}: ${inert(given.reason)}`] }
  const found = given ? records.find((r) => r.record.file === given.file) : records.find((r) => r.record.id === spec)
  let read: Loaded<Workflow | null>
  let key: string
  if (found?.record.document !== undefined) {
    read = parseWorkflow(found.record.document, {
      file: found.record.file,
      name: found.record.name,
      plugin: found.plugin,
    })
    key = workflowKey({ plugin: found.plugin, name: found.record.name })
  } else if (given) {
    read = parseWorkflowText(given.text, given.file)
    key = workflowKey({ file: given.file })
  } else {
    return {
      problems: [
        `Switchboard has no workflow ${inert(spec)}. Workflows: ${records.map((r) => r.record.id).join(', ') || 'none'} (or a path inside the project).`,
      ],
    }
  }
  if (!read.value)
    return {
      problems: [`Switchboard cannot read ${inert(spec)}: ${read.diagnostics.map((d) => inert(d.message)).join(' ')}`],
    }
  return { workflow: read.value, key }
}

/**
 * A file the model names (a workflow, an `input=@file`): what its own Read could read, no more (inside
 * the project, no Read deny rule matching), as for plan_call's `key=@file`, read without blocking and
 * bounded (cli/argument-file.ts readArgumentFile).
 */
export function readModelFile(environment: ToolEnvironment, path: string, maxBytes?: number) {
  return readArgumentFile(path, { cwd: environment.cwd, env: environment.env }, maxBytes)
}
