/**
 * Where a path points before any link is followed: `a/./b/../c` is `a/c`. Pure (no Node), for both
 * runtimes. Used to judge a path that does not exist: whether a file outside the project exists must
 * not show in an error, so a path that leaves the project is refused as outside whether or not it
 * exists (cli/argument-file.ts, module/invoke-call.ts).
 */

/** `path` made absolute against `base` (both POSIX) and normalised. */
export function lexicalResolve(base: string, path: string): string {
  const parts: string[] = []
  for (const part of `${path.startsWith('/') ? '' : `${base}/`}${path}`.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') parts.pop()
    else parts.push(part)
  }
  return `/${parts.join('/')}`
}

/** Whether `path` is `dir` or lies under it, by their text alone. */
export function isLexicallyInside(dir: string, path: string): boolean {
  const root = lexicalResolve('/', dir)
  const target = lexicalResolve('/', path)
  return target === root || target.startsWith(root === '/' ? '/' : `${root}/`)
}
