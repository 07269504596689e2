/**
 * Keys given twice in one object of a JSON text. JSON.parse keeps the last and drops the first without a
 * word, so in a file that grants or refuses access (a policy's `rules`, a plugin's `callers`) the rule
 * its author read first may be the one that never applies. Runtime-neutral (the hooks module reads
 * policy files too); one pass over the text, for text JSON.parse has accepted.
 */

/** Each key given twice, with the path of the object that holds it (`rules.0` for the first rule). */
export function duplicateJsonKeys(text: string): Array<{ path: string; key: string }> {
  const found: Array<{ path: string; key: string }> = []
  // One frame per open object or array: its path, the keys seen (objects), the next index (arrays),
  // and the key or index of the value being read, for the path of anything nested in it.
  const frames: Array<{ path: string; keys?: Set<string>; index: number; current: string }> = []
  let expectingKey = false
  for (let at = 0; at < text.length; at++) {
    const char = text[at]
    if (char === '"') {
      const end = stringEnd(text, at)
      const frame = frames.at(-1)
      if (expectingKey && frame?.keys) {
        const key = JSON.parse(text.slice(at, end + 1)) as string
        if (frame.keys.has(key)) found.push({ path: frame.path, key })
        frame.keys.add(key)
        frame.current = key
        expectingKey = false
      }
      at = end
    } else if (char === '{' || char === '[') {
      const parent = frames.at(-1)
      const path = parent ? (parent.path ? `${parent.path}.${parent.current}` : parent.current) : ''
      frames.push(char === '{' ? { path, keys: new Set(), index: 0, current: '' } : { path, index: 0, current: '0' })
      expectingKey = char === '{'
    } else if (char === '}' || char === ']') {
      frames.pop()
    } else if (char === ',') {
      const frame = frames.at(-1)
      if (frame?.keys) expectingKey = true
      else if (frame) frame.current = String(++frame.index)
    }
  }
  return found
}

/** The index of the quote that closes the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  for (let at = start + 1; at < text.length; at++) {
    if (text[at] === '\\') at++
    else if (text[at] === '"') return at
  }
  return text.length - 1
}
