/**
 * Checks on parsed YAML that the yaml package does slowly or not at all, in linear time. Its own
 * duplicate-key check (`uniqueKeys: true`) compares each key with every key before it: a 255 KB
 * workflow of 40,000 keys took 6.7 s to parse, in the MCP server that also answers settings mode's
 * hooks. Parse with `uniqueKeys: false` and ask duplicateKey instead.
 */
import { isMap, isScalar, visit } from 'yaml'
import type { Document } from 'yaml'

/** The first key a map holds twice (scalar keys, by value), with where its second spelling starts. */
export function duplicateKey(document: Document): { key: string; offset: number } | undefined {
  let found: { key: string; offset: number } | undefined
  visit(document, {
    Map(_, map) {
      if (!isMap(map)) return undefined
      const seen = new Set<unknown>()
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue
        if (seen.has(pair.key.value)) {
          found = { key: String(pair.key.value), offset: pair.key.range?.[0] ?? 0 }
          return visit.BREAK
        }
        seen.add(pair.key.value)
      }
      return undefined
    },
  })
  return found
}

/** `line L, column C` of an offset in the text (both from 1). */
export function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, col: offset - before.lastIndexOf('\n') }
}

/**
 * The length of `value` as JSON where YAML aliases (`*a`) in `text` made it longer than `max`, else
 * undefined. An alias repeats a value without repeating its text: 16 KB of frontmatter became 1.5 MB,
 * and a 255 KB workflow 26 MB, in a snapshot every session reads.
 */
export function aliasExpansion(text: string, value: unknown, max: number): number | undefined {
  if (!text.includes('*')) return undefined
  const length = (JSON.stringify(value) ?? '').length
  return length > max ? length : undefined
}
