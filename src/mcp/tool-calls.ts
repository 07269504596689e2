/**
 * The MCP tools' work, as a bundle of its own (mcp/tools.mjs) that the server loads at the first
 * tool call: the registry, the planner and the trace stay out of the server's start-up, which
 * Claude Code waits for at every session start. Arguments are checked against the very schema the
 * model was shown (tool-specs.ts), so a wrong call gets the field and the fix, and no tool runs.
 */
import { contractProblems } from '../manifest/validate-contract.ts'
import { TOOL_SPECS } from './tool-specs.ts'
import { contextTool, describeComponent, planCallTool, registrySearch, traceTool } from './tools.ts'
import type { PlanCallArgs, ToolEnvironment } from './tools.ts'
import { runWorkflowTool } from './run-workflow-tool.ts'
import { driveWorkflowTool } from './drive-workflow-tool.ts'
import { routeCapabilitiesTool } from './route-capabilities-tool.ts'
import { checkReturnTool } from './check-return-tool.ts'
import { planWorkflowTool } from './workflow-tool.ts'

/** What a call answers: the text the model reads, and whether it is an error. */
export interface ToolAnswer {
  text: string
  isError?: true
}

export async function callTool(name: string, args: unknown, environment: ToolEnvironment): Promise<ToolAnswer> {
  const spec = TOOL_SPECS.find((s) => s.name === name)
  if (!spec)
    return {
      text: `Switchboard has no tool "${name}". Its tools: ${TOOL_SPECS.map((s) => s.name).join(', ')}.`,
      isError: true,
    }
  const input = args ?? {}
  const problems = contractProblems(spec.inputSchema, input).map(plainer)
  if (problems.length > 0)
    return {
      text: `Wrong arguments for ${name}: ${problems.join('; ')}. Its arguments: ${describeArguments(spec.inputSchema)}.`,
      isError: true,
    }
  return { text: await run(name, input as never, environment) }
}

// --- internal ---

function run(name: string, args: never, environment: ToolEnvironment): string | Promise<string> {
  switch (name) {
    case 'registry_search':
      return registrySearch(environment, args)
    case 'describe':
      return describeComponent(environment, args)
    case 'plan_call':
      return planCallTool(environment, args satisfies PlanCallArgs)
    case 'plan_workflow':
      return planWorkflowTool(environment, args)
    case 'run_workflow':
      return runWorkflowTool(environment, args)
    case 'drive_workflow':
      return driveWorkflowTool(environment, args)
    case 'route_capabilities':
      return routeCapabilitiesTool(args)
    case 'check_return':
      return checkReturnTool(args)
    case 'context_list':
      return contextTool(environment, 'list', {})
    case 'context_get':
      return contextTool(environment, 'get', args)
    case 'context_put':
      return contextTool(environment, 'put', args)
    case 'context_clear':
      return contextTool(environment, 'clear', args)
    default:
      return traceTool(environment, args)
  }
}

/** The validator's wording, said in terms of tool arguments. */
function plainer(problem: string): string {
  return problem
    .replace(/^"\/([^/"]+)": False boolean schema$/, '"$1" is not one of its arguments')
    .replace(/^\(the value\): Instance does not have required property "([^"]+)"$/, '"$1" is required')
    .replace(/^"\/([^"]+)": Instance type "(\w+)" is invalid\. Expected "(\w+)"$/, '"$1" must be a $3, not a $2')
}

function describeArguments(schema: (typeof TOOL_SPECS)[number]['inputSchema']): string {
  const names = Object.keys(schema.properties)
  if (names.length === 0) return 'none'
  return names.map((n) => `${n}${schema.required?.includes(n) ? ' (required)' : ''}`).join(', ')
}
