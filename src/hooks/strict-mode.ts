import { loadPolicy } from '../guard/index.ts'

/** Whether the user asked for fail-closed security decisions (policy "strict": true, or SWITCHBOARD_STRICT=1). */
export function strictMode(): boolean {
  try {
    return loadPolicy(process.env, process.env.CLAUDE_PROJECT_DIR || process.cwd()).strict
  } catch {
    return process.env.SWITCHBOARD_STRICT === '1'
  }
}
