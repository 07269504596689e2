/** Text output helpers shared by the commands. */
import { relative } from 'node:path'
import { formatDiagnostic, inert } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'

/** A plain text table; the last column is cut to keep lines readable. Cells are inert: they hold names and descriptions others wrote. */
export function table(headers: string[], rows: string[][], maxLast = 70): string {
  const cut = rows.map((row) =>
    row
      .map(inert)
      .map((cell, i) =>
        i === row.length - 1 && cell.length > maxLast ? `${cell.slice(0, maxLast - 1)}…` : cell.replace(/\s+/g, ' '),
      ),
  )
  const widths = headers.map((h, i) => Math.max(h.length, ...cut.map((row) => (row[i] ?? '').length)))
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cut.map(line)].join('\n')
}

/** Diagnostics, most severe first, with paths relative to the working directory. */
export function formatDiagnostics(
  diagnostics: readonly Diagnostic[],
  cwd: string,
  options: { include?: Array<Diagnostic['severity']> } = {},
): string {
  const include = options.include ?? ['error', 'warning']
  const order = { error: 0, warning: 1, info: 2 }
  return [...diagnostics]
    .filter((d) => include.includes(d.severity))
    .sort((a, b) => order[a.severity] - order[b.severity])
    .map((d) => formatDiagnostic(d, (file) => displayPath(file, cwd)))
    .join('\n')
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { error: number; warning: number; info: number } {
  const counts = { error: 0, warning: 0, info: 0 }
  for (const d of diagnostics) counts[d.severity]++
  return counts
}

export function displayPath(file: string, cwd: string): string {
  if (!file) return '(unknown file)'
  const rel = relative(cwd, file)
  return rel && !rel.startsWith('..') ? rel : file
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}
