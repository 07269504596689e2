import { loadPolicy } from '../guard/index.ts'
import type { HookEnv } from './run-hook.ts'

/** Whether the user asked for fail-closed security decisions (policy "strict": true, or SWITCHBOARD_STRICT=1). */
export function strictMode(env: HookEnv): boolean {
  try {
    return loadPolicy(env, env.CLAUDE_PROJECT_DIR || process.cwd()).strict
  } catch {
    return env.SWITCHBOARD_STRICT === '1'
  }
}
