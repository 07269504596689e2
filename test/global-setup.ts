/**
 * One scratch folder per test run: every temporary folder a test, the harness or a Claude Code
 * session makes (`os.tmpdir()` in the workers) lands under it, and the run removes it at the end,
 * killed tests' leftovers included. Before this, the runs left thousands of homes and projects in
 * /tmp. `SWITCHBOARD_KEEP_TMP=1` keeps it, to look at a failed session afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default function setup(): () => void {
  const scratch = mkdtempSync(join(tmpdir(), 'switchboard-tests-'))
  // Workers are started after global setup and inherit the environment, so their tmpdir() is here.
  process.env.TMPDIR = scratch
  return () => {
    if (process.env.SWITCHBOARD_KEEP_TMP === '1') console.log(`kept the test run's temporary folders: ${scratch}`)
    else rmSync(scratch, { recursive: true, force: true })
  }
}
