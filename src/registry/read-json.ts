import { error, settingsText } from '../common/index.ts'
import { startsWithByteOrderMark } from './byte-order-mark.ts'
import type { Diagnostic } from '../common/index.ts'
import { readBounded } from './read-bounded.ts'
import { formatCount, SCAN_LIMITS } from './scan-limits.ts'
import type { ScanLimits } from './scan-limits.ts'

export type JsonRead =
  | { ok: true; value: unknown; text: string; byteOrderMark?: true }
  /** `overLimit`: valid or not, the file is past a scan limit and was not parsed. */
  | { ok: false; missing: boolean; overLimit: boolean; diagnostic: Diagnostic }

/**
 * Reads a JSON file someone else wrote. Never throws: a missing file, an unreadable one and invalid
 * JSON each come back as a diagnostic with the position and the fix. A UTF-8 byte order mark is
 * tolerated, as editors on Windows write one. Files past the scan limits (size, nesting, number of
 * values) are not parsed: JSON.parse takes seconds on a million nested brackets, and whatever reads
 * the value next (schemas, JSON.stringify of the snapshot) recurses.
 */
export function readJsonFile(file: string, code: string, limits: ScanLimits = SCAN_LIMITS): JsonRead {
  const read = readBounded(file, limits.maxJsonBytes)
  if (!read.ok) {
    const missing = read.problem === 'missing'
    if (read.problem === 'too-large')
      return overLimit(
        file,
        `the file is ${formatCount(read.size)} bytes, over the ${formatCount(limits.maxJsonBytes)} Switchboard reads. Shrink it`,
      )
    return {
      ok: false,
      missing,
      overLimit: false,
      diagnostic: error(
        code,
        file,
        missing
          ? 'file not found.'
          : `cannot read the file (${read.message}). Check that it is a regular file you can read.`,
      ),
    }
  }
  const text = settingsText(read.bytes)
  const shape = measureJsonText(text, limits)
  if (shape) return overLimit(file, shape)
  try {
    const value: unknown = JSON.parse(text)
    return startsWithByteOrderMark(read.bytes)
      ? { ok: true, value, text, byteOrderMark: true }
      : { ok: true, value, text }
  } catch (thrown) {
    return {
      ok: false,
      missing: false,
      overLimit: false,
      diagnostic: error(
        code,
        file,
        `not valid JSON${where(text, (thrown as Error).message)}: ${(thrown as Error).message}. Fix the syntax there.`,
      ),
    }
  }
}

// --- internal ---

/** ` at line 3, column 5` from JSON.parse's `at position 37` (Node 20 gives only the offset), else nothing. */
function where(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message)?.[1]
  if (position === undefined) return ''
  const before = text.slice(0, Number(position))
  const line = before.split('\n').length
  return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`
}

function overLimit(file: string, why: string): JsonRead {
  return {
    ok: false,
    missing: false,
    overLimit: true,
    diagnostic: error(
      'SCAN_LIMIT_REACHED',
      file,
      `${why}; Switchboard does not read this file (see docs/registry.md, Limits).`,
    ),
  }
}

/**
 * One pass over the text, before parsing: how deep arrays and objects nest and how many values
 * there are (each `[`, `{` and `,` outside strings starts one). Returns why it is over a limit.
 */
export function measureJsonText(text: string, limits: ScanLimits): string | undefined {
  // Most files cannot pass a limit, and are not walked: no more characters than the values allowed (each
  // value counted is a character), no more brackets than the levels allowed (each level opens one). The
  // brackets are counted by indexOf; the walk took a character at a time (measured: about as long as
  // JSON.parse of the same manifest, before the code was optimised, which is most of a short run).
  if (text.length <= limits.maxJsonValues && bracketsAtMost(text, limits.maxJsonDepth)) return undefined
  let depth = 0
  let values = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    // A string is skipped to its closing quote by indexOf (measured: reading it a character at a time
    // was about 1.5% of a registry build's JavaScript; most of a JSON file is its strings).
    if (c === 0x22) i = stringEnd(text, i + 1)
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limits.maxJsonDepth)
        return `arrays and objects nest more than ${limits.maxJsonDepth} levels deep. Flatten it`
      values++
    } else if (c === 0x5d || c === 0x7d) depth--
    else if (c === 0x2c) values++
    if (values > limits.maxJsonValues)
      return `it holds more than ${formatCount(limits.maxJsonValues)} values. List fewer entries (a folder path loads a whole folder)`
  }
  return undefined
}

/** Whether the text holds at most `most` opening brackets, `[` and `{` (in strings too). */
function bracketsAtMost(text: string, most: number): boolean {
  let count = 0
  for (let at = text.indexOf('{'); at >= 0; at = text.indexOf('{', at + 1)) if (++count > most) return false
  for (let at = text.indexOf('['); at >= 0; at = text.indexOf('[', at + 1)) if (++count > most) return false
  return true
}

/**
 * Where the string whose text starts at `from` ends: its closing quote, the first not escaped (an odd run
 * of backslashes before a quote escapes it), or the text's end.
 */
function stringEnd(text: string, from: number): number {
  for (let quote = text.indexOf('"', from); quote >= 0; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0
    for (let at = quote - 1; at >= from && text.charCodeAt(at) === 0x5c; at--) backslashes++
    if (backslashes % 2 === 0) return quote
  }
  return text.length
}
