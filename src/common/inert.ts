/**
 * Rendering text others wrote (agent types, plugin names, descriptions, reasons, slot names, file
 * names) so that printing it cannot act on a terminal or forge lines in a listing: a subagent_type
 * such as "evil\n└─ main -> x  ok\u001b[2J" must show as one visible line, not as two lines and a
 * cleared screen. docs/security.md#printing-what-others-wrote.
 */

/**
 * One line, inert: every character that moves the cursor, starts a terminal escape sequence, breaks a
 * line, reorders text or cannot be seen is shown as an escape (`\n`, `\x1b`, `\u202e`, `\u{e0041}`),
 * and `\` as `\\`, so two different inputs never print the same. Escaped: C0 controls, DEL, C1
 * controls, U+2028/U+2029, the bidi controls (U+061C, U+200E/F, U+202A-202E, U+2066-2069), lone
 * surrogates, and what shows as nothing: the soft hyphen, U+200B, U+2060-2064, U+206A-206F, U+FEFF,
 * U+FFF9-FFFB, U+180E, the Hangul fillers, and the tag characters U+E0000-E007F (text hidden in plain
 * sight: an agent's description "Formats code." followed by tags that spell an order to the model).
 * The joiners U+200C/U+200D and the variation selectors are escaped where they follow ASCII or start
 * the text, where they only make a name look like another (`tdd-editor\u200d`); after other letters
 * they are kept, as emoji and several scripts need them.
 */
export function inert(text: string): string {
  return text.replace(UNSAFE_OR_BACKSLASH, joinersAfterAscii(escapeOne))
}

/**
 * JSON.stringify, with what it leaves raw escaped as \uXXXX too (DEL, C1, U+2028/2029, bidi controls,
 * the characters that show as nothing, as for inert): the same JSON value, which cannot act on a
 * terminal or hide text either. Such characters occur only inside JSON strings, where \uXXXX is always valid.
 */
export function inertJson(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(
    RAW_IN_JSON,
    joinersAfterAscii((ch) =>
      Array.from({ length: ch.length }, (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''),
    ),
  )
}

/**
 * An id (or plugin name) others wrote, as a listing the model reads shows it: as it is where it holds
 * only letters, digits and `.`, `_`, `:`, `-`, else JSON-quoted. A command's id is its file's name, which
 * may hold `. ` and sentences; unquoted among the ids, `ok. Switchboard (policy note): ...` read as
 * Switchboard's own words (found by review). inert alone keeps a value on its line, not out of the prose.
 */
export function shownId(id: string): string {
  return PLAIN_ID.test(id) ? id : inertJson(id)
}

// --- internal ---

const PLAIN_ID = /^[A-Za-z0-9._:-]+$/

// JSON.stringify escapes C0 controls and lone surrogates itself; the rest it leaves raw. (UTF-16 code
// units, no `u` flag: the tag characters and the supplementary variation selectors are written as pairs.)
const INVISIBLE =
  '\\u00ad\\u115f\\u1160\\u180e\\u200b\\u2060-\\u2064\\u206a-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb'
const RAW_IN_JSON_CLASS = `\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069${INVISIBLE}`
const TAG = '\\udb40[\\udc00-\\udc7f]'
// A letter is any character but ASCII, a joiner, a tag, a lone surrogate or one escaped here (so that after
// escaping, no joiner follows ASCII either).
const JOINER = '(?:[\\u200c\\u200d\\ufe00-\\ufe0f]|\\udb40[\\udd00-\\uddef])'
const LETTER = new RegExp(
  `^(?:[^\\u0000-\\u00ff${RAW_IN_JSON_CLASS}\\u200c\\u200d\\ufe00-\\ufe0f\\ud800-\\udfff]|[\\u00a0-\\u00ac\\u00ae-\\u00ff]|[\\ud800-\\udb3f\\udb41-\\udbff][\\udc00-\\udfff])$`,
)
const UNSAFE_CLASS = `\\u0000-\\u001f${RAW_IN_JSON_CLASS}`
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]'
// Every joiner is matched (the group), and joinersAfterAscii keeps those that follow a letter. A lookbehind
// over the joiners before one (`(?<!letter joiner*)`) cost each joiner the whole run before it: 64,000
// joiners took 9 s, and a policy file or an agent type padded so held a settings hook past its time-out,
// which Claude Code then ran unchecked (found by review).
const RAW_IN_JSON = new RegExp(`[${RAW_IN_JSON_CLASS}]|${TAG}|(${JOINER})`, 'g')
const UNSAFE_OR_BACKSLASH = new RegExp(`[\\\\${UNSAFE_CLASS}]|${TAG}|(${JOINER})|${LONE_SURROGATE}`, 'g')
const NAMED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function escapeOne(ch: string): string {
  const code = ch.codePointAt(0)!
  if (code > 0xffff) return `\\u{${code.toString(16)}}`
  return (
    NAMED[ch] ??
    (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  )
}

/**
 * A replacer that escapes what the pattern matched, except joiners that follow a letter (past the joiners
 * before them). Matches come in order, so a run of joiners is judged once, by the character before it.
 */
function joinersAfterAscii(
  escapeAs: (ch: string) => string,
): (ch: string, joiner: string | undefined, at: number, text: string) => string {
  let runEnd = -1
  let escaping = false
  return (ch, joiner, at, text) => {
    if (joiner === undefined) return escapeAs(ch)
    if (at !== runEnd) escaping = !followsLetter(text, at)
    runEnd = at + ch.length
    return escaping ? escapeAs(ch) : ch
  }
}

/** Whether the character just before `at` (a surrogate pair whole) is a letter; nothing before is none. */
function followsLetter(text: string, at: number): boolean {
  if (at === 0) return false
  const low = text.charCodeAt(at - 1)
  const paired = low >= 0xdc00 && low <= 0xdfff && at >= 2 && (text.charCodeAt(at - 2) & 0xfc00) === 0xd800
  return LETTER.test(text.slice(paired ? at - 2 : at - 1, at))
}
