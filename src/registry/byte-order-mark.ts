/**
 * A file that starts with a UTF-8 byte order mark, as editors on Windows save one: Claude Code 2.1.331 and later
 * skip the mark, and the registry reads the file as they do; 2.1.197 does not (probed: a plugin.json with one is
 * "a corrupt manifest file", an agent file with one loads with no frontmatter, as "Agent from <plugin> plugin"
 * with every tool). A warning, as the registry then describes what an older Claude Code does not load (found by a
 * newcomer: `check` said "No problems found").
 */
import { warning } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'

export function byteOrderMarkWarning(file: string, olderClaudeCode: string): Diagnostic {
  return warning(
    'FILE_BYTE_ORDER_MARK',
    file,
    `the file starts with a byte order mark. Claude Code 2.1.331 and later skip it; 2.1.197 ${olderClaudeCode}. Save the file as UTF-8 without a byte order mark.`,
  )
}

/** Whether a file's bytes begin with a UTF-8 byte order mark. */
export function startsWithByteOrderMark(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
}
