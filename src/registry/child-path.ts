/**
 * Paths below a folder, without path.join: join normalises the whole path again at every call, and
 * was about 4% of a registry build's JavaScript (measured on the corpus), for paths that are a folder
 * already normalised and one entry name.
 */
import { join, normalize, resolve, sep } from 'node:path'

/**
 * join(dir, name), for `dir` as path.normalize (or join, or resolve) gives it and `name` an entry of it,
 * or entries below it joined by "/": names readdir lists, or fixed ones such as "SKILL.md" (never "."
 * or ".."). Elsewhere (Windows separators, the "." or "./" that stands for an empty path) it is join itself.
 */
export function childPath(dir: string, name: string): string {
  if (sep !== '/' || dir === '.' || dir === './') return join(dir, name)
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`
}

/**
 * A folder path as childPath takes it: normalised once, for the many paths built below it. Most are
 * normalised already (join's or resolve's output), and are taken as they are: normalize builds a new
 * string even then (measured: about 3% of a registry build's allocations).
 */
export function normalFolder(dir: string): string {
  return isNormalAbsolute(dir) ? dir : normalize(dir)
}

/**
 * path.resolve(base, path), or resolve(path) with no base, taking a path that is absolute and normal already
 * as it is (resolve drops a final "/", so not one with that): resolve rebuilds any path a segment at a time,
 * and a build resolved each plugin folder twice, its key's and discovery's, from a list of folders that are
 * normally absolute already (measured: about 3% of a corpus build's allocations).
 */
export function resolvePath(base: string | undefined, path: string): string {
  if (isNormalAbsolute(path) && !path.endsWith('/')) return path
  return base === undefined ? resolve(path) : resolve(base, path)
}

// --- internal ---

/** An absolute POSIX path normalize gives back as it is: no empty, "." or ".." segment (a final "/" it keeps). */
function isNormalAbsolute(dir: string): boolean {
  return (
    sep === '/' &&
    dir.startsWith('/') &&
    !dir.includes('//') &&
    !dir.includes('/./') &&
    !dir.includes('/../') &&
    !dir.endsWith('/.') &&
    !dir.endsWith('/..')
  )
}
