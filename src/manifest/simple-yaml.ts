/**
 * The shapes most frontmatter blocks take, read without the YAML library: `key: value` lines whose
 * values are plain or simply quoted strings, whole numbers, booleans, a flow list of words or a `|`
 * or `>` block, and a key holding a list of such values or a map of them, one level deep, or a
 * double-quoted string or flow list written over the lines after it. 98% of the
 * blocks in the corpus's plugins look like this, and the `yaml` package spends longer on each
 * (building a syntax tree and a document) than reading the file took: it was a quarter of a registry
 * build, plus much of its garbage.
 *
 * The rule is strict on purpose. Anything this reader is not sure YAML 1.2 reads the same way
 * answers `undefined`, and the caller parses the block with the `yaml` package as before: numbers
 * other than small whole ones, nulls spelled out, block scalars with more-indented lines or a kept
 * end, flow maps, quotes or commas inside a flow list, anchors, tags, comments after a value, tabs, a
 * lone carriage return, a duplicate key, deeper nesting. test/manifest/simple-yaml.test.ts holds every
 * frontmatter block of the corpus, and thousands of random ones, to the `yaml` package's reading.
 */

type Scalar = string | number | boolean
type Value = Scalar | null | Scalar[] | string[] | Record<string, Scalar | string[]>

/** The block's fields, or undefined where the block needs the full YAML parser. */
export function parseSimpleYaml(block: string): Record<string, unknown> | undefined {
  // Windows line ends are line breaks to YAML, as "\n" is; a carriage return alone is left to the parser.
  // A carriage return is itself an unsure character, so most blocks are scanned once, not twice.
  let text = block
  if (UNSURE_CHARACTERS.test(text)) {
    if (!text.includes('\r')) return undefined
    text = text.replaceAll('\r\n', '\n')
    if (UNSURE_CHARACTERS.test(text)) return undefined
  }
  // Read line by line where the lines start, not split into lines first: a key line is cut into its key and
  // value only (measured: the split's line strings were the largest share of this reader's garbage).
  const data: Record<string, Value> = {}
  let at = 0 // where the next line starts; text.length for the empty line after a final "\n"
  while (at <= text.length) {
    const from = at
    const end = lineEnd(text, from)
    at = end + 1
    // Most lines start with a key; the others are blanks, comments, or what this reader does not take.
    if (!isWordCharacter(text.charCodeAt(from))) {
      if (isBlankOrComment(text.slice(from, end))) continue
      return undefined
    }
    const colon = keyLineColon(text, from, end)
    if (colon < 0) return undefined
    const key = text.slice(from, colon)
    if (!isSafeKey(key) || Object.hasOwn(data, key)) return undefined
    const rest = afterSpaces(text, colon + 1, end)
    if (BLOCK_SCALAR.test(rest)) {
      // Its lines: indented ones and empty ones between them (empty ones after it end nothing).
      const content: string[] = []
      while (at <= text.length) {
        const next = lineEnd(text, at)
        if (text.charCodeAt(at) !== SPACE && next !== at) break
        content.push(text.slice(at, next))
        at = next + 1
      }
      while (content.at(-1) === '') content.pop()
      const value = blockScalar(rest.trimEnd(), content)
      if (value === undefined) return undefined
      data[key] = value
      continue
    }
    if (rest !== '') {
      const value = scalar(rest)
      if (value === undefined) return undefined
      data[key] = value
      continue
    }
    // `key:` alone: null, or the indented lines after it (a list or a map of strings, or one flow value).
    const nested: string[] = []
    let gap = false // a blank or comment line between two of them
    let skipped = false
    while (at <= text.length) {
      const next = lineEnd(text, at)
      const line = text.slice(at, next)
      if (!line.startsWith(' ') && !isBlankOrComment(line)) break
      if (isBlankOrComment(line)) skipped = true
      else {
        if (skipped && nested.length > 0) gap = true
        nested.push(line)
      }
      at = next + 1
    }
    if (nested.length === 0) {
      data[key] = null
      continue
    }
    // Inside a quoted or flow value a blank line is a line break and `#` is text: those are left to the parser.
    const value = nestedValue(nested) ?? (gap ? undefined : flowValueOnLines(nested))
    if (value === undefined) return undefined
    data[key] = value
  }
  return data
}

// --- internal ---

/**
 * Tabs, carriage returns (outside a Windows line end), control characters, a byte order mark inside
 * the block, and the characters YAML 1.1 took for line breaks: left to the real parser.
 */
const UNSURE_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]/
/**
 * Where the colon of the `key:` line text[from, end) is, in text: a key (a letter or "_", then at most 200
 * letters, digits, "_" or "-"), ":", then the line's end, or a space and the value; else -1. YAML allows an
 * implicit key 1024 characters at most. A sticky expression read from the line's start: a loop over the
 * key's characters was about as fast once optimised, and several times slower before, which is most of a
 * short run such as the benchmark's (measured on the corpus).
 */
function keyLineColon(text: string, from: number, end: number): number {
  KEY_LINE.lastIndex = from
  return KEY_LINE.test(text) && KEY_LINE.lastIndex <= end ? KEY_LINE.lastIndex - 1 : -1
}
const KEY_LINE = /[A-Za-z_][A-Za-z0-9_-]{0,200}:(?=[ \n]|$)/y

/** Where the line starting at `from` ends: its "\n", or the text's end. */
function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from)
  return newline < 0 ? text.length : newline
}

/** text[from, end) after the spaces it starts with. */
function afterSpaces(text: string, from: number, end: number): string {
  let at = from
  while (at < end && text.charCodeAt(at) === SPACE) at++
  return at >= end ? '' : text.slice(at, end)
}

const COLON = 0x3a
const SPACE = 0x20

function startsKey(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f
}

function continuesKey(c: number): boolean {
  return startsKey(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d
}
/**
 * The lines under a `key:` line: list items, `/^( +)- +(.*)$/` (NESTED_ITEM below), or map entries,
 * `/^( +)([A-Za-z_][A-Za-z0-9_-]{0,200}): +(.*)$/` (NESTED_KEY); nestedValue reads both by character codes.
 */
const DASH = 0x2d
/** Keys read as something other than a string, or best left to the real parser. */
const NOT_A_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+.0-9].*)$/
const BOOLEAN = /^(?:true|True|TRUE|false|False|FALSE)$/
/** Digits a Number holds exactly, read as YAML's core schema does (base 10, leading zeros too). */
const WHOLE_NUMBER = /^[0-9]{1,15}$/
/** The core schema's other ints and floats, its nulls, and anything signed: left to the real parser. */
const OTHER_CORE_TYPES =
  /^(?:~|null|Null|NULL|[-+].*|[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|\.(?:inf|Inf|INF|nan|NaN|NAN)|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/
/** A literal (`|`) or folded (`>`) block, clipped or stripped (`-`) at its end. */
const BLOCK_SCALAR = /^[|>]-? *$/
const FLOW_WORD = /^[A-Za-z_][A-Za-z0-9_ ().*/-]*$/
/** Characters that start something else than a plain scalar. */
const INDICATORS = new Set('-?:,[]{}#&*!|>\'"%@`')
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t' }

function isBlankOrComment(line: string): boolean {
  if (isWordCharacter(line.charCodeAt(0))) return false // most lines: a key
  const trimmed = line.trimStart()
  return trimmed === '' || (trimmed.startsWith('#') && /^ *$/.test(line.slice(0, line.length - trimmed.length)))
}

function isSafeKey(key: string): boolean {
  // Keys start with a letter or "_" (keyLineColon, NESTED_KEY): only n, N, t, T, f and F may start NOT_A_STRING.
  // Tested by character code (a Set lookup of the first character cost more, measured on the corpus).
  const c = key.charCodeAt(0) | 0x20
  if (c === 0x6e || c === 0x74 || c === 0x66) return !NOT_A_STRING.test(key)
  return key !== '__proto__'
}

/**
 * The lines after `key:` as a list (`  - item` lines, NESTED_ITEM) or a map (`  key: value` lines, NESTED_KEY),
 * all at the first line's indentation (NESTED_ITEM's and NESTED_KEY's first group: all the leading spaces). Read by character codes: the expressions' match arrays were the
 * largest share of this reader's garbage (measured on the corpus).
 */
function nestedValue(lines: string[]): Scalar[] | Record<string, Scalar | string[]> | undefined {
  const indent = leadingSpaces(lines[0]!)
  if (indent === 0) return undefined
  if (itemValueAt(lines[0]!, indent) >= 0) {
    const items: Scalar[] = []
    for (const line of lines) {
      const at = leadingSpaces(line) === indent ? itemValueAt(line, indent) : -1
      const value = at < 0 ? undefined : scalar(line.slice(at), false)
      if (value === undefined || Array.isArray(value)) return undefined
      items.push(value)
    }
    return items
  }
  if (nestedKeyColon(lines[0]!, indent) < 0) return undefined
  const map: Record<string, Scalar | string[]> = {}
  for (const line of lines) {
    const colon = leadingSpaces(line) === indent ? nestedKeyColon(line, indent) : -1
    if (colon < 0) return undefined
    const key = line.slice(indent, colon)
    if (!isSafeKey(key) || Object.hasOwn(map, key)) return undefined
    const value = scalar(afterSpaces(line, colon + 1, line.length))
    if (value === undefined) return undefined
    map[key] = value
  }
  return map
}

/** How many spaces the line starts with. */
function leadingSpaces(line: string): number {
  let at = 0
  while (line.charCodeAt(at) === SPACE) at++
  return at
}

/**
 * NESTED_ITEM for a line whose spaces end at `indent`: where the item's value starts (after "-" and the
 * spaces after it), or -1.
 */
function itemValueAt(line: string, indent: number): number {
  if (line.charCodeAt(indent) !== DASH || line.charCodeAt(indent + 1) !== SPACE) return -1
  let at = indent + 2
  while (line.charCodeAt(at) === SPACE) at++
  return at
}

/** NESTED_KEY for a line whose spaces end at `indent`: where the colon after its key is, or -1. */
function nestedKeyColon(line: string, indent: number): number {
  if (!startsKey(line.charCodeAt(indent))) return -1
  let at = indent + 1
  while (at <= indent + 200 && at < line.length && continuesKey(line.charCodeAt(at))) at++
  return line.charCodeAt(at) === COLON && line.charCodeAt(at + 1) === SPACE ? at : -1
}

/**
 * A double-quoted string or a flow list written over the indented lines after `key:` (a long description, a
 * tools list one item a line). YAML folds such lines into one: each loses its indentation, and a line
 * break between two becomes a space; a blank line (a line break kept) never reaches here. A line ending in
 * a space is left to the parser (YAML drops the spaces before a fold, and a backslash before them escapes one).
 */
function flowValueOnLines(lines: string[]): Scalar | string[] | undefined {
  const first = lines[0]!.trimStart()[0]
  if (first !== '"' && first !== '[') return undefined
  let text = ''
  for (const line of lines) {
    if (line.endsWith(' ')) return undefined
    text = text === '' ? line.trimStart() : `${text} ${line.trimStart()}`
  }
  return first === '"' ? doubleQuoted(text) : wordList(text)
}

/** One value on a line: a string, a whole number, a boolean, a flow list of words, or undefined when unsure. */
function scalar(raw: string, flowList = true): Scalar | string[] | undefined {
  const text = raw.endsWith(' ') ? raw.replace(/ +$/, '') : raw
  if (text === '') return undefined
  const first = text[0]!
  if (first === '"') return doubleQuoted(text)
  if (first === "'") return singleQuoted(text)
  if (first === '[') return flowList ? wordList(text) : undefined
  if (INDICATORS.has(first)) return undefined
  // A mapping inside the value, a comment after it: the real parser decides.
  if (text.includes(': ') || text.endsWith(':') || hasComment(text)) return undefined
  // Only these first characters start a boolean, a number or a null (most values are words: no test).
  if (!MAY_BE_OTHER_TYPE.has(first)) return text
  if (BOOLEAN.test(text)) return text[0] === 't' || text[0] === 'T'
  if (WHOLE_NUMBER.test(text)) return Number(text)
  // The other numbers and nulls of YAML's core schema; a version like 1.2.0 is none of them, so a string.
  if (OTHER_CORE_TYPES.test(text)) return undefined
  return text
}

/**
 * `text.includes(' #')`, found from each "#" (rare in a value) rather than from each space (common): the
 * search for the two characters stopped at every space of a long description (measured on the corpus).
 */
function hasComment(text: string): boolean {
  for (let at = text.indexOf('#', 1); at >= 0; at = text.indexOf('#', at + 1))
    if (text.charCodeAt(at - 1) === SPACE) return true
  return false
}

/** The first characters of BOOLEAN, WHOLE_NUMBER and OTHER_CORE_TYPES (`-` is an indicator, tested before). */
const MAY_BE_OTHER_TYPE = new Set('tTfFnN~+-.0123456789')

/** A letter, a digit or `_`: a line starting with one is no blank, no comment and no list item. */
function isWordCharacter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f
}

/**
 * `[Read, Grep, Glob]`, `["Read", "Grep"]`, `["Bash(git add:*)", Read]`: plain words without commas or
 * brackets, and double-quoted text without commas; YAML reads the same list.
 */
function wordList(text: string): string[] | undefined {
  if (!text.endsWith(']')) return undefined
  const inner = text.slice(1, -1).trim()
  if (inner === '') return []
  const words: string[] = []
  const parts = inner.split(',')
  // One comma after the last item is allowed (`[a, b,]` is a list of two), as in YAML.
  if (parts.length > 1 && parts.at(-1)!.trim() === '') parts.pop()
  for (const part of parts) {
    const item = part.trim()
    // A quoted item is text whatever it holds (`"Bash(${CLAUDE_PLUGIN_ROOT}/x.sh:*)"`): only a comma inside
    // it, which the cut above cannot tell from one between items, leaves a part that is not whole (declined).
    if (item.startsWith('"')) {
      const quoted = doubleQuoted(item)
      if (quoted === undefined) return undefined
      words.push(quoted)
      continue
    }
    if (!FLOW_WORD.test(item) || scalar(item, false) !== item) return undefined
    words.push(item)
  }
  return words
}

/**
 * A block scalar's text, where its lines share one indentation and none ends in a space: literal
 * lines keep their breaks; folded ones are joined by a space, or by the breaks of the empty lines
 * between them. Clipped, one break ends it; stripped (`-`), none.
 */
function blockScalar(header: string, lines: string[]): string | undefined {
  const indent = /^ */.exec(lines[0] ?? '')![0].length
  if (lines.length === 0 || indent === 0) return undefined
  let text = ''
  let breaks = 0 // empty lines since the last text line
  for (const line of lines) {
    if (line === '') {
      breaks++
      continue
    }
    const part = line.slice(indent)
    if (part === '' || part.startsWith(' ') || part.endsWith(' ') || !/^ *$/.test(line.slice(0, indent)))
      return undefined
    if (text === '') text = part
    else if (header[0] === '|') text += '\n'.repeat(breaks + 1) + part
    else text += breaks > 0 ? '\n'.repeat(breaks) + part : ` ${part}`
    breaks = 0
  }
  return text + (header.endsWith('-') ? '' : '\n')
}

/**
 * A double-quoted value's text with the escapes ESCAPES knows, or undefined (a quote no backslash escapes
 * before the last one, another escape). The text between escapes is taken in slices, and the quotes and
 * backslashes are found by indexOf, not a character at a time: quoted descriptions are long, and a loop over
 * their characters was slow until optimised, which is most of a short run (measured on the corpus).
 */
function doubleQuoted(text: string): string | undefined {
  if (text.length < 2 || !text.endsWith('"')) return undefined
  const last = text.length - 1
  let out = ''
  let from = 1
  let quote = text.indexOf('"', from) // the first quote at or after `from` (the last one at the latest)
  for (;;) {
    const slash = text.indexOf('\\', from)
    const stop = slash < 0 || slash >= last ? last : slash
    if (quote < stop) return undefined
    if (stop === last) return out + text.slice(from, last)
    const escaped = ESCAPES[text[slash + 1] ?? '']
    if (escaped === undefined || slash + 1 >= last) return undefined
    out += text.slice(from, slash) + escaped
    from = slash + 2 // past the escaped character, which may be a quote
    if (quote < from) quote = text.indexOf('"', from)
  }
}

function singleQuoted(text: string): string | undefined {
  if (text.length < 2 || !text.endsWith("'")) return undefined
  const inner = text.slice(1, -1)
  if (inner.replaceAll("''", '').includes("'")) return undefined
  return inner.replaceAll("''", "'")
}
