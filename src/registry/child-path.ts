/**
 * Paths below a folder, without path.join: join normalises the whole path again at every call, and
 * was about 4% of a registry build's JavaScript (measured on the corpus), for paths that are a folder
 * already normalised and one entry name.
 */
import { join, normalize, sep } from 'node:path'

/**
 * join(dir, name), for `dir` as path.normalize (or join, or resolve) gives it and `name` an entry of it,
 * or entries below it joined by "/": names readdir lists, or fixed ones such as "SKILL.md" (never "."
 * or ".."). Elsewhere (Windows separators, the "." or "./" that stands for an empty path) it is join itself.
 */
export function childPath(dir: string, name: string): string {
  if (sep !== '/' || dir === '.' || dir === './') return join(dir, name)
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`
}

/** A folder path as childPath takes it: normalised once, for the many paths built below it. */
export function normalFolder(dir: string): string {
  return normalize(dir)
}
