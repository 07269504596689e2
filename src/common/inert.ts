/**
 * Rendering text others wrote (agent types, plugin names, descriptions, reasons, slot names, file
 * names) so that printing it cannot act on a terminal or forge lines in a listing: a subagent_type
 * such as "evil\n└─ main -> x  ok\u001b[2J" must show as one visible line, not as two lines and a
 * cleared screen. docs/security.md#printing-what-others-wrote.
 */

/**
 * One line, inert: every character that moves the cursor, starts a terminal escape sequence, breaks a
 * line or reorders text is shown as an escape (`\n`, `\x1b`, `\u202e`), and `\` as `\\`, so two
 * different inputs never print the same. Escaped: C0 controls, DEL, C1 controls, U+2028/U+2029, the
 * bidi controls (U+061C, U+200E/F, U+202A-202E, U+2066-2069) and lone surrogates.
 */
export function inert(text: string): string {
  return text.replace(UNSAFE_OR_BACKSLASH, escapeOne)
}

/**
 * JSON.stringify, with what it leaves raw escaped as \uXXXX too (DEL, C1, U+2028/2029, bidi controls):
 * the same JSON value, which cannot act on a terminal either. Such characters occur only inside JSON
 * strings, where \uXXXX is always valid.
 */
export function inertJson(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(
    RAW_IN_JSON,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

// --- internal ---

// JSON.stringify escapes C0 controls and lone surrogates itself; the rest of the class it leaves raw.
const RAW_IN_JSON_CLASS = '\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069'
const UNSAFE_CLASS = `\\u0000-\\u001f${RAW_IN_JSON_CLASS}`
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]'
const RAW_IN_JSON = new RegExp(`[${RAW_IN_JSON_CLASS}]`, 'g')
const UNSAFE_OR_BACKSLASH = new RegExp(`[\\\\${UNSAFE_CLASS}]|${LONE_SURROGATE}`, 'g')
const NAMED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0)
  return (
    NAMED[ch] ??
    (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  )
}
