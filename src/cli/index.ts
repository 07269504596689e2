// The CLI's door for the rest of Switchboard (the MCP server plans calls and renders plans with it)
// and for tests. The command table and runCli are run-cli.ts, which main.ts loads alone.
export { COMMANDS, runCli } from './run-cli.ts'
export type { CliIO } from './run-cli.ts'
export { INVOKE_USAGE, parseInvokeWords, PlanError, planCall, planForModel } from './plan.ts'
export { renderPlan } from './workflow-plan-text.ts'
export type { Plan, PlanRequest } from './plan.ts'
export { VERSION } from './version.ts'
