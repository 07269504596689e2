// The subagent hook as a process: the entry of plugin/hooks/bin/subagent (scripts/build.mjs).
import { runHook } from '../run-hook.ts'
import { subagentHook } from '../subagent.ts'

runHook(subagentHook)
