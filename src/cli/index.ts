// The CLI's door for the rest of Switchboard (the MCP server plans calls and renders plans with it)
// and for tests. The command table and runCli are run-cli.ts, which main.ts loads alone.
export { runCli } from './run-cli.ts'

export { parseInvokeWords, PlanError, planCall, planForModel } from './plan.ts'
export { renderPlan } from './workflow-plan-text.ts'
export { checkArgumentFile, readArgumentFile } from './argument-file.ts'
