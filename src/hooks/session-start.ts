/**
 * SessionStart: refresh the registry snapshot that the other hooks read, so they never scan disks.
 * Cheap when nothing changed (a stat per watched path); a full rebuild otherwise.
 * Fails open: a broken snapshot must not stop the user's session from starting.
 */
import { SessionStartInputSchema } from '../protocol/index.ts'
import { syncSnapshot } from '../registry/index.ts'
import { runHook } from './run-hook.ts'

runHook({
  name: 'session-start',
  onFailure: 'open',
  input: SessionStartInputSchema,
  handle: (input) => {
    syncSnapshot({ cwd: input.cwd, env: process.env })
    return undefined
  },
})
