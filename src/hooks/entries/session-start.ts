// The session-start hook as a process: the entry of plugin/hooks/bin/session-start (scripts/build.mjs).
import { runHook } from '../run-hook.ts'
import { sessionStartHook } from '../session-start.ts'

runHook(sessionStartHook)
