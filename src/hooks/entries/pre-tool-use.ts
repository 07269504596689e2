// The pre-tool-use hook as a process: the entry of plugin-hooks/hooks/bin/pre-tool-use.cjs, in the companion plugin
// switchboard-hooks (scripts/build.mjs).
import { runHook } from '../run-hook.ts'
import { preToolUseHook } from '../pre-tool-use.ts'

runHook(preToolUseHook)
