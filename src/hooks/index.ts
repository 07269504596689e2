// The hooks' door for the MCP server, which answers the companion's per-call settings hooks in process
// (mcp/hook-tool.ts). The hook processes' entries are src/hooks/entries/.
export { postToolUseHook } from './post-tool-use.ts'
export { preToolUseHook } from './pre-tool-use.ts'
export { answerHook } from './run-hook.ts'
export type { HookDefinition, HookEnv, HookResult } from './run-hook.ts'
export { subagentHook } from './subagent.ts'
