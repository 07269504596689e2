// The pre-tool-use hook as a process: the entry of plugin/hooks/bin/pre-tool-use (scripts/build.mjs).
import { runHook } from '../run-hook.ts'
import { preToolUseHook } from '../pre-tool-use.ts'

runHook(preToolUseHook)
