import { readFileSync } from 'node:fs'
import { error } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'

export type JsonRead = { ok: true; value: unknown } | { ok: false; missing: boolean; diagnostic: Diagnostic }

/**
 * Reads a JSON file someone else wrote. Never throws: a missing file, an unreadable one and invalid
 * JSON each come back as a diagnostic with the position and the fix. A UTF-8 byte order mark is
 * tolerated, as editors on Windows write one.
 */
export function readJsonFile(file: string, code: string): JsonRead {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (thrown) {
    const missing = (thrown as NodeJS.ErrnoException).code === 'ENOENT'
    return { ok: false, missing, diagnostic: error(code, file, missing ? 'file not found.' : `cannot read the file (${(thrown as Error).message}). Check its permissions.`) }
  }
  try {
    return { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, '')) }
  } catch (thrown) {
    return {
      ok: false,
      missing: false,
      diagnostic: error(code, file, `not valid JSON: ${(thrown as Error).message}. Fix the syntax (a JSON linter shows the spot).`),
    }
  }
}
