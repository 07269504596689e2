/**
 * The guided runs' file in a session folder (guided.ts), on Node: the MCP tool and the settings
 * hooks read and write it, always under the session lock, so calls of a parallel wave that end at
 * once never lose each other's outcome. A file that does not parse is no file: every guided call is
 * then refused as unexpected, and the next run_workflow call hands the calls out again.
 */

import { join } from 'node:path'
import { writeFileAtomic } from '../common/index.ts'
import { GUIDED_FILE } from './guided.ts'
import type { GuidedRuns } from './guided.ts'
import { readTextNoWait, SMALL_FILE_BYTES } from '../registry/read-bounded.ts'

/** A fresh value each time: callers add to what they read, and one shared object would carry a run into other sessions. */
const noGuidedRuns = (): GuidedRuns => ({ expected: {} })

export function readGuidedRuns(sessionDir: string): GuidedRuns {
  let text: string
  try {
    text = readTextNoWait(join(sessionDir, GUIDED_FILE), SMALL_FILE_BYTES)
  } catch {
    return noGuidedRuns()
  }
  try {
    const runs = JSON.parse(text) as GuidedRuns
    return runs && typeof runs.expected === 'object' && runs.expected !== null ? runs : noGuidedRuns()
  } catch {
    return noGuidedRuns()
  }
}

/** Call with the session lock held. */
export function writeGuidedRuns(sessionDir: string, runs: GuidedRuns): void {
  writeFileAtomic(join(sessionDir, GUIDED_FILE), JSON.stringify(runs))
}
