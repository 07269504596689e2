/**
 * Frontmatter of agent, command and skill files, read the way Claude Code's runtime reads it, which
 * is more lenient than its validator (docs/claude-code-notes.md, and the loader code of
 * 2.1.197 and 2.1.331, summarised in docs/claude-code-notes.md):
 *
 * - the block is `/^---\s*\n([\s\S]*?)---\s*\n?/` at the very start of the file, so a leading blank
 *   line means "no frontmatter" and the FIRST `---` anywhere closes the block, even mid-line;
 * - a UTF-8 byte order mark is stripped (2.1.331; 2.1.197 then sees no frontmatter);
 * - YAML 1.2; when it does not parse, lines `key: value` whose value holds YAML punctuation or ": "
 *   are double-quoted, leading tabs become two spaces, and it is parsed again;
 * - when that fails too, every field is dropped and the component keeps its file name.
 */
import { parse } from 'yaml'
import { isObject } from '../common/index.ts'
import { parseSimpleYaml } from './simple-yaml.ts'
import { aliasExpansion } from './yaml-keys.ts'

type FrontmatterStatus =
  /** No frontmatter block. */
  | 'absent'
  /** Parsed as written. */
  | 'parsed'
  /** Not valid YAML, but Claude Code's quoting fallback recovers it (fragile: quote the values). */
  | 'recovered'
  /** Not valid YAML even after the fallback: Claude Code drops every field. */
  | 'dropped'

export interface Frontmatter {
  status: FrontmatterStatus
  /** The fields, as Claude Code sees them (empty when absent or dropped). */
  data: Record<string, unknown>
  /** The markdown after the block (the agent's system prompt, the command's prompt). */
  body: string
  /** The YAML parser's message when the block is not valid YAML as written. */
  yamlError?: string
  /** The line of the file (1 is the opening `---`) that message is about, when the parser said. */
  yamlErrorLine?: number
  /** Keys given twice in one mapping, of which Claude Code keeps the last (blocks the YAML library read). */
  duplicateKeys?: string[]
  /** A recovered block had lines indented with tabs, which the fallback turned into spaces. */
  tabIndented?: boolean
}

const NEEDS_QUOTES = /[{}[\]*&#!|>%@`]|: /
const FALLBACK_LINE = /^([a-zA-Z_-]+):\s+(\S.*)$/

export function parseFrontmatter(text: string): Frontmatter {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const match = fenceOf(source)
  if (!match) return { status: 'absent', data: {}, body: text }
  const block = match.block
  // A lone CR breaks a line too for Claude Code's parser (`tools: Read\rskills: x` is two keys), not for
  // the yaml package; its quoting fallback reads the block as written (a CRLF line defeats it, observed).
  const yamlBlock = block.includes('\r') ? block.replace(/\r(?!\n)/g, '\n') : block
  const body = source.slice(match.end)

  // Most blocks are simple `key: value` lines, read without the YAML library (simple-yaml.ts).
  const simple = parseSimpleYaml(yamlBlock)
  if (simple) return { status: 'parsed', data: simple, body }
  // The commonest broken block, known broken without the yaml package (its parse is about 0.3 ms).
  let fallback = failsOnlyForNestedMappings(block) ? quotingFallback(block) : undefined
  if (fallback?.recovered)
    return {
      status: 'recovered',
      data: fallback.recovered,
      body,
      yamlError: NESTED_MAPPING_ERROR,
      ...fileLine(block.split('\n').findIndex((line) => PLAIN_VALUE_WITH_COLON.test(line))),
    }
  const first = tryParse(yamlBlock)
  if (first.ok) {
    // The simple reader refuses a duplicate key; the YAML library, as Claude Code calls it, keeps the last.
    const duplicateKeys = duplicateKeysOf(block)
    return { status: 'parsed', data: first.data, body, ...(duplicateKeys.length > 0 ? { duplicateKeys } : {}) }
  }
  // Claude Code's fallback only for a block YAML refused: quoting a flow list parses it with yaml.
  fallback ??= quotingFallback(block)
  const second: ParseResult = fallback.recovered ? { ok: true, data: fallback.recovered } : tryParse(fallback.quoted)
  const where = fileLine(first.line)
  if (second.ok)
    return {
      status: 'recovered',
      data: second.data,
      body,
      yamlError: first.error,
      ...where,
      ...(/^\t/m.test(block) ? { tabIndented: true } : {}),
    }
  return { status: 'dropped', data: {}, body, yamlError: first.error, ...where }
}

/**
 * Claude Code's fallback, line by line: an unindented `key: value` line whose value is not already
 * quoted (or a flow list) and holds YAML punctuation or ": " becomes `key: "value"`.
 */
export function quoteUnsafeValues(block: string): string {
  return block
    .split('\n')
    .map((line) => {
      const match = FALLBACK_LINE.exec(line)
      if (!match) return line
      const [, key, value = ''] = match
      if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) return line
      if (value.startsWith('[') && value.endsWith(']')) {
        const list = tryParse(value, true)
        if (list.ok) return line
      }
      if (!NEEDS_QUOTES.test(value)) return line
      return `${key}: "${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
    })
    .join('\n')
}

/** The yaml package's message for `key: a: b`: a plain value holding ": " reads as a nested mapping. */
export const NESTED_MAPPING_ERROR = 'Nested mappings are not allowed in compact mappings'

/**
 * True when YAML refuses the block, and its first error is NESTED_MAPPING_ERROR: some `key: value`
 * lines hold ": " in a plain value, and quoting just those values leaves a block simple-yaml reads
 * (so every other line is valid as written). Held to the yaml package's own answer over the corpus
 * and random blocks by test/manifest/frontmatter.test.ts.
 */
export function failsOnlyForNestedMappings(block: string): boolean {
  let quotedAny = false
  const lines = block.split('\n').map((line) => {
    const match = PLAIN_VALUE_WITH_COLON.exec(line)
    if (!match || commentBeforeColon(match[2]!)) return line
    quotedAny = true
    return `${match[1]}: "${match[2]!.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
  })
  return quotedAny && parseSimpleYaml(lines.join('\n')) !== undefined
}

/**
 * What `/^---\s*\n([\s\S]*?)---\s*\n?/` (the block rule above) finds in a text: the block (its group)
 * and where the match ends, or null. By indexOf and character codes: the expression's lazy group tried a
 * `---` at every character of the block (measured, with the search for a second `---` before it, about
 * 1.5% of a registry build's JavaScript). Held to the expression by test/manifest/frontmatter.test.ts.
 */
export function fenceOf(source: string): { block: string; end: number } | null {
  if (!source.startsWith('---')) return null
  // `\s*\n`: the blanks after the opening ---, through the last line feed among them.
  let lineFeed = -1
  let at = 3
  for (; at < source.length && isSpace(source.charCodeAt(at)); at++) if (source.charCodeAt(at) === 0x0a) lineFeed = at
  if (lineFeed < 0) return null
  // `([\s\S]*?)---`: up to the first --- after it (none in the blanks, so an earlier line feed finds no other).
  const close = source.indexOf('---', lineFeed + 1)
  if (close < 0) return null
  // `\s*\n?`: every blank after the closing ---.
  let end = close + 3
  while (end < source.length && isSpace(source.charCodeAt(end))) end++
  return { block: source.slice(lineFeed + 1, close), end }
}

// --- internal ---

/** A character `\s` matches: ECMAScript's white space and line terminators. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d)
  if (c < 0xa0) return false
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  )
}

/** Claude Code's quoting fallback applied to a block, and the block read by simple-yaml when it can be. */
function quotingFallback(block: string): { quoted: string; recovered: Record<string, unknown> | undefined } {
  const quoted = quoteUnsafeValues(block).replace(/^\t+/gm, (tabs) => '  '.repeat(tabs.length))
  return { quoted, recovered: parseSimpleYaml(quoted) }
}

/**
 * An unindented `key: value` line whose value starts as a plain word (a letter of any script, a digit
 * or "(") and holds ": ".
 */
const PLAIN_VALUE_WITH_COLON = /^([A-Za-z_][A-Za-z0-9_-]*): +((?:[A-Za-z0-9(]|\p{L})[^\r\n]*?: [^\r\n]*)$/u

/**
 * Whether a plain value's comment (` #`) starts before its first ": ", which is then no nested mapping. One
 * after it changes nothing: YAML refuses the line at that ": ", before the comment.
 */
function commentBeforeColon(value: string): boolean {
  const comment = value.indexOf(' #')
  return comment >= 0 && comment < value.indexOf(': ')
}

type ParseResult = { ok: true; data: Record<string, unknown> } | { ok: false; error: string; line?: number }

/** A line index within the block as the file's line: the block starts after the opening `---`. */
function fileLine(index: number | undefined): { yamlErrorLine?: number } {
  return index === undefined || index < 0 ? {} : { yamlErrorLine: index + 2 }
}

/** unreadFrontmatter's words for a block no second `---` closes (component-text.ts tells it from bytes). */
export const UNCLOSED_BLOCK = 'its --- block is never closed'

/**
 * Why a file that opens with `---` has no frontmatter as Claude Code reads it, if that is so: the block
 * must start on the very first line, and be closed by a second `---`.
 */
export function unreadFrontmatter(text: string): string | undefined {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (/^\s+---[ \t]*\r?\n/.test(source)) return 'a blank line (or spaces) comes before its opening ---'
  if (/^---[ \t]*\r?\n/.test(source) && source.indexOf('---', 3) < 0) return UNCLOSED_BLOCK
  return undefined
}

/**
 * Keys given twice in one mapping, by a scan of the block's lines (the YAML library, told to allow them
 * as Claude Code does, does not say): a key line at an indent starts a mapping there, a shallower line
 * or a list item (`- `) ends the mappings deeper than it, and a block scalar's lines (`|`, `>`) are text.
 */
function duplicateKeysOf(block: string): string[] {
  const levels: Array<{ indent: number; keys: Set<string> }> = []
  const duplicates: string[] = []
  let scalarAbove: number | undefined
  for (const line of block.split('\n')) {
    const indent = line.length - line.trimStart().length
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue
    if (scalarAbove !== undefined && indent > scalarAbove) continue
    scalarAbove = undefined
    while (levels.length > 0 && levels.at(-1)!.indent > indent) levels.pop()
    if (line.trimStart().startsWith('- ')) continue
    const key = /^\s*([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$/.exec(line)
    if (!key) continue
    if (levels.at(-1)?.indent !== indent) levels.push({ indent, keys: new Set() })
    const keys = levels.at(-1)!.keys
    if (keys.has(key[1]!)) duplicates.push(key[1]!)
    keys.add(key[1]!)
    if (/^[|>][-+0-9]*\s*$/.test(key[2] ?? '')) scalarAbove = indent
  }
  return duplicates
}

/**
 * A block whose YAML aliases expand past MAX_EXPANDED_CHARS. Claude Code reads it whole, so no reading of
 * Switchboard's may stand for it: not the quoting fallback, which read `skills: [vault:x, *p, ...]` as one
 * string and so let the agent preload another plugin's private skill unchecked (found by review). The
 * registry leaves such a component out, as one past its other limits, and calls to it are refused.
 */
export class FrontmatterOverLimit extends Error {}

/** What a frontmatter block may expand to once its YAML aliases are resolved (its text is at most 16 KiB). */
const MAX_EXPANDED_CHARS = 64 * 1024

function tryParse(yamlText: string, expectList = false): ParseResult {
  try {
    const value: unknown = parseWithoutStacks(yamlText)
    const expanded = aliasExpansion(yamlText, value, MAX_EXPANDED_CHARS)
    if (expanded !== undefined)
      throw new FrontmatterOverLimit(`expands its aliases to ${expanded} characters (at most ${MAX_EXPANDED_CHARS})`)
    if (expectList) return Array.isArray(value) ? { ok: true, data: {} } : { ok: false, error: 'not a list' }
    return { ok: true, data: isObject(value) ? value : {} }
  } catch (thrown) {
    if (thrown instanceof FrontmatterOverLimit) throw thrown
    // The yaml package's errors carry the offset they are about (`pos`), even without prettyErrors;
    // a quote left open is reported where the text ends, so that one names the line it opens on.
    const { pos, code } = thrown as { pos?: [number, number]; code?: string }
    const message = (thrown as Error).message.split('\n')[0] ?? 'invalid YAML'
    const offset = code === 'MISSING_CHAR' && /quote/.test(message) ? openQuoteOffset(yamlText) : pos?.[0]
    return {
      ok: false,
      error: message,
      ...(offset === undefined ? {} : { line: yamlText.slice(0, offset).split('\n').length - 1 }),
    }
  }
}

/**
 * The yaml package's parse, the errors it makes (one per problem, for a block it refuses) made without a
 * stack trace: only their message, code and offset are read. Capturing each error's stack cost more than
 * the rest of such a parse (measured: about 1% of a registry build's JavaScript, for a few blocks).
 */
function parseWithoutStacks(yamlText: string): unknown {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    // merge: Claude Code's parser applies `<<:` merge keys, so `<<: {skills: x}` preloads x (found by review).
    return parse(yamlText, { uniqueKeys: false, prettyErrors: false, merge: true })
  } finally {
    Error.stackTraceLimit = limit
  }
}

/** Where a quote that is never closed opens (`"` with backslash escapes, `'` with doubled ones). */
function openQuoteOffset(text: string): number | undefined {
  let open: { at: number; quote: string } | undefined
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (!open) {
      if (char === '"' || char === "'") open = { at: i, quote: char }
    } else if (open.quote === '"' && char === '\\') i++
    else if (char === open.quote) {
      if (open.quote === "'" && text[i + 1] === "'") i++
      else open = undefined
    }
  }
  return open?.at
}
