/**
 * Diagnostics: how Switchboard reports a problem in someone's files without ever throwing.
 * Every diagnostic says where (file, and path inside it), what is wrong, and how to fix it.
 */
import { inert } from './inert.ts'

type Severity = 'error' | 'warning' | 'info'

export interface Diagnostic {
  /** Stable SCREAMING_SNAKE code, e.g. `FRONTMATTER_INVALID_YAML`. */
  code: string
  severity: Severity
  /** The file the problem is in (absolute), or the folder when there is no single file. */
  file: string
  /** Where inside the file: a dotted field path such as `dependencies.0.version`. */
  path?: string
  /** What is wrong and how to fix it, in one or two sentences. */
  message: string
}

/** The result of reading something others wrote: always a value, plus what was wrong with it. */
export interface Loaded<T> {
  value: T
  diagnostics: Diagnostic[]
}

export function error(code: string, file: string, message: string, path?: string): Diagnostic {
  return path === undefined
    ? { code, severity: 'error', file, message }
    : { code, severity: 'error', file, path, message }
}

export function warning(code: string, file: string, message: string, path?: string): Diagnostic {
  return path === undefined
    ? { code, severity: 'warning', file, message }
    : { code, severity: 'warning', file, path, message }
}

export function info(code: string, file: string, message: string, path?: string): Diagnostic {
  return path === undefined
    ? { code, severity: 'info', file, message }
    : { code, severity: 'info', file, path, message }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error')
}

/** A value quoted in a message, cut short: it may be a file's text, which the message would otherwise repeat. */
export function quotedExcerpt(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
}

/** The yaml package's first message line without the position it appends (the caller names the line). */
export function yamlMessage(error: { message: string }): string {
  return (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')
}

/** The errors as one line each, `path: message` (for a tool's `problems`, where the file is known). */
export function errorLines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.path ? `${d.path}: ` : ''}${d.message}`)
}

/**
 * One line per diagnostic: `file:path: severity CODE message`, with paths shown relative to `base`.
 * Inert (./inert.ts): file names, paths and messages quote what others wrote.
 */
export function formatDiagnostic(d: Diagnostic, relativeTo?: (file: string) => string): string {
  const file = relativeTo ? relativeTo(d.file) : d.file
  const where = d.path ? `${file} (${d.path})` : file
  return inert(`${where}: ${d.severity} ${d.code}: ${d.message}`)
}
