/**
 * `$slot` references in call arguments. `$name` (letters, digits, `_`) is replaced by the slot's
 * value; `$$` is a literal `$`, so `$$5` stays `$5`; a `$` not followed by a name is left as it is.
 */
export type Reference = { name: string; start: number; end: number }

export function findReferences(text: string): Reference[] {
  const references: Reference[] = []
  const pattern = /\$\$|\$([A-Za-z_][A-Za-z0-9_]*)/g
  for (const match of text.matchAll(pattern)) {
    if (match[1] !== undefined) references.push({ name: match[1], start: match.index, end: match.index + match[0].length })
  }
  return references
}

/** Replaces every reference with `resolve(name)` and every `$$` with `$`. */
export function substitute(text: string, resolve: (name: string) => string): string {
  return text.replace(/\$\$|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string | undefined) => (name === undefined ? '$' : resolve(name)))
}
