// The subagent hook as a process: the entry of plugin-hooks/hooks/bin/subagent.cjs, in the companion plugin
// switchboard-hooks (scripts/build.mjs).
import { runHook } from '../run-hook.ts'
import { subagentHook } from '../subagent.ts'

runHook(subagentHook)
