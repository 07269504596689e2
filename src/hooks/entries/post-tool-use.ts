// The post-tool-use hook as a process: the entry of plugin-hooks/hooks/bin/post-tool-use.cjs, in the companion plugin
// switchboard-hooks (scripts/build.mjs).
import { runHook } from '../run-hook.ts'
import { postToolUseHook } from '../post-tool-use.ts'

runHook(postToolUseHook)
