/**
 * `$slot` references in call arguments. `$name` (letters, digits, `_`) is replaced by the slot's
 * value; `$$` is a literal `$`, so `$$5` stays `$5`; a `$` not followed by a name is left as it is.
 *
 * Only what the caller wrote counts. Text an agent forwards (a web page, another agent's answer) may
 * hold `$secret_token` or a `[[switchboard into=...]]` directive planted by someone else, so
 * references and directives are read only OUTSIDE quoted material: fenced code blocks (``` or ~~~),
 * block quotes (lines starting with `>`) and inline code spans. Everything inside those is passed on
 * as it is. docs/protocol.md "What counts as a reference".
 *
 * A `$NAME` in capitals that names no slot is shell-style text (`$HOME`, `$PATH`), not a reference:
 * it is left as it is instead of failing the call. Any other unknown name is a mistake to report.
 */
import { SLOT_NAME_PART } from '../manifest/name-rules.ts'

export type Reference = { name: string; start: number; end: number }

const REFERENCE = new RegExp(`\\$\\$|\\$(${SLOT_NAME_PART})`, 'g')

/** `[[switchboard into=slot]]`: store this call's return in that slot. */
const DIRECTIVE = new RegExp(`\\[\\[switchboard\\s+into=\\$?(${SLOT_NAME_PART})\\s*\\]\\]`, 'g')

export type Directive = { ok: true; into?: string; text: string } | { ok: false; reason: string }

/**
 * The caller's `[[switchboard into=slot]]` directive, outside quoted material, removed from the text.
 * Directives inside quoted material are left in place as data. Two directives naming different slots
 * are refused: one of them was not written by the caller.
 */
export function readDirective(text: string): Directive {
  const quoted = quotedRanges(text)
  const found = [...text.matchAll(DIRECTIVE)].filter((m) => !isInside(quoted, m.index))
  const slots = [...new Set(found.map((m) => m[1]!))]
  if (slots.length > 1)
    return {
      ok: false,
      reason: `the call holds ${slots.length} [[switchboard into=...]] directives (${slots.join(', ')}); a call stores its return in one slot. Keep the one you wrote, and put quoted material in a fenced block or a > quote.`,
    }
  if (found.length === 0) return { ok: true, text }
  let rest = text
  for (const match of [...found].reverse())
    rest = rest.slice(0, match.index) + rest.slice(match.index + match[0].length)
  return { ok: true, into: slots[0]!, text: rest.replace(/\n{3,}/g, '\n\n').trim() }
}

/** References outside quoted material, in order. */
export function findReferences(text: string): Reference[] {
  const quoted = quotedRanges(text)
  const references: Reference[] = []
  for (const match of text.matchAll(REFERENCE)) {
    if (match[1] === undefined || isInside(quoted, match.index)) continue
    references.push({ name: match[1], start: match.index, end: match.index + match[0].length })
  }
  return references
}

/** Whether an unknown name reads as an environment variable (`$HOME`), which is text, not a reference. */
export function looksLikeShellVariable(name: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(name)
}

/**
 * Replaces every reference outside quoted material with `resolve(name)` (undefined: leave it as it
 * is) and every `$$` there with `$`. Quoted material is passed on untouched.
 */
export function substitute(text: string, resolve: (name: string) => string | undefined): string {
  const quoted = quotedRanges(text)
  return text.replace(REFERENCE, (whole, name: string | undefined, offset: number) => {
    if (isInside(quoted, offset)) return whole
    return name === undefined ? '$' : (resolve(name) ?? whole)
  })
}

/**
 * A value whose first line opens quoted material (a fence, a `>` quote) starts on a line of its own
 * in a call: after `key: ` the fence would not open, and what it quotes would count as written.
 */
export const QUOTE_OPENER = /^[ \t]*(```|~~~|>)/

/** Character ranges [start, end) of quoted material: fenced blocks, `>` quote lines, inline code spans. */
export function quotedRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = []
  let offset = 0
  let fence: { char: string; length: number; start: number } | null = null
  for (const line of text.split('\n')) {
    const end = offset + line.length
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line)
    if (fence) {
      if (opener && opener[1]![0] === fence.char && opener[1]!.length >= fence.length && line.trim() === opener[1]) {
        ranges.push([fence.start, end])
        fence = null
      }
    } else if (opener) {
      fence = { char: opener[1]![0]!, length: opener[1]!.length, start: offset }
    } else if (/^ {0,3}>/.test(line)) {
      ranges.push([offset, end])
    } else {
      for (const span of line.matchAll(/(`+)(?:(?!\1)[\s\S])*?\1/g))
        ranges.push([offset + span.index, offset + span.index + span[0].length])
    }
    offset = end + 1
  }
  if (fence) ranges.push([fence.start, text.length]) // an unclosed fence runs to the end, as in Markdown
  return ranges
}

// --- internal ---

/**
 * Whether `index` is inside one of the ranges, which quotedRanges gives in order and apart from each other: found by
 * halving, as every reference and directive of a text is asked about (a walk of every range for each made a prompt
 * of 400 KB of quoted references take 18 s in the guard; found by review).
 */
function isInside(ranges: Array<[number, number]>, index: number): boolean {
  let low = 0
  let high = ranges.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    const [start, end] = ranges[middle]!
    if (index < start) high = middle - 1
    else if (index >= end) low = middle + 1
    else return true
  }
  return false
}
