/**
 * A component file's text, decoded only as far as the frontmatter rule needs it (manifest/frontmatter.ts:
 * the block closes at the first `---` after the opening one): through the line that closing `---` is
 * on. The body is decoded only when asked for, which is only for a command or skill whose frontmatter
 * gives no description (Claude Code then takes the body's first line). Decoding whole files as UTF-8
 * cost about 40% more than reading them, and most of a file is its body.
 *
 * The head parses exactly as the whole text would: the cut comes after a newline byte, which UTF-8
 * never uses inside a character, and after everything the rule reads. A file that does not open with
 * `---`, or never closes it, has no frontmatter, so its head is empty.
 */
import { startsWithByteOrderMark } from './byte-order-mark.ts'
import { UNCLOSED_BLOCK, unreadFrontmatter } from '../manifest/index.ts'

export interface ComponentText {
  head: string
  /** The whole file, decoded on the first call. */
  full: () => string
  /**
   * Why a file that seems to open a `---` block has none as Claude Code reads it (manifest/frontmatter.ts
   * unreadFrontmatter), told from its first bytes: decoding every file without a block to ask cost a build
   * about a tenth more JavaScript.
   */
  unread?: string
}

export function componentText(bytes: Buffer): ComponentText {
  let decoded: string | undefined
  const full = (): string => {
    decoded ??= bytes.toString('utf8')
    return decoded
  }
  const start = startsWithByteOrderMark(bytes) ? 3 : 0
  if (bytes[start] !== DASH || bytes[start + 1] !== DASH || bytes[start + 2] !== DASH) {
    // Only blanks before a `---` line: the person meant a block, which Claude Code does not read.
    let at = start
    while (at < start + 256 && (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0a || bytes[at] === 0x0d))
      at++
    const unread = at > start ? unreadFrontmatter(bytes.toString('latin1', start, at + 8)) : undefined
    return unread ? { head: '', full, unread } : { head: '', full }
  }
  const close = bytes.indexOf(FENCE, start + 3)
  if (close < 0) return { head: '', full, unread: UNCLOSED_BLOCK }
  const newline = bytes.indexOf(0x0a, close + 3)
  return { head: bytes.toString('utf8', 0, newline < 0 ? bytes.length : newline + 1), full }
}

// --- internal ---

const DASH = 0x2d
/** The fence as bytes: a string needle is encoded again at every search. */
const FENCE = Buffer.from('---', 'latin1')
