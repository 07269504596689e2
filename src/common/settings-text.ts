/**
 * The text of a JSON file Claude Code reads (settings, and the plugin files beside them), decoded as
 * Claude Code decodes it. Probed on 2.1.197 and 2.1.332 with a project settings file's env block
 * (docs/claude-code-notes.md "Settings files"): a file that starts with the UTF-16LE byte order mark is
 * read as UTF-16LE, anything else as UTF-8, and one leading byte order mark is dropped. Both versions
 * applied the env of a UTF-8 file with a mark and of a UTF-16LE one with its mark; none of a UTF-16
 * file without a mark, of a UTF-16BE one, or of a UTF-8 file with two marks.
 *
 * Read as plain UTF-8, a UTF-16 settings file was no JSON, so the guard saw no env block in it while
 * Claude Code applied one that moved the user's policy (found by review). Pure: the hooks module uses it too.
 */
export function settingsText(bytes: Uint8Array): string {
  const text = bytes[0] === 0xff && bytes[1] === 0xfe ? utf16le(bytes) : UTF8.decode(bytes)
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/** A file's base64 (what the hooks module's `$.fs.read(path, { as: "bytes" })` gives) as settingsText reads it. */
export function settingsTextOfBase64(base64: string): string {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return settingsText(bytes)
}

// --- internal ---

// ignoreBOM: the mark is kept, and dropped once above, as Claude Code drops it (two marks: no JSON to it).
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true })

/** UTF-16LE by code units (a trailing odd byte dropped, as Buffer does): no decoder label to depend on. */
function utf16le(bytes: Uint8Array): string {
  const units = Math.floor(bytes.length / 2)
  let text = ''
  for (let start = 0; start < units; start += CHUNK) {
    const codes: number[] = []
    for (let i = start; i < Math.min(units, start + CHUNK); i++) codes.push(bytes[2 * i]! | (bytes[2 * i + 1]! << 8))
    text += String.fromCharCode(...codes)
  }
  return text
}

/** Code units per String.fromCharCode call: well under the engines' argument limits. */
const CHUNK = 8192
