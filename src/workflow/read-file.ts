/**
 * Reading a workflow file on Node: YAML (or JSON, which is YAML) → parseWorkflow. The YAML package
 * stays on this side so the core (core.ts) loads in the hooks module; the module reads files its own
 * way and hands the parsed value to the same parseWorkflow.
 */
import { statSync } from 'node:fs'
import { basename, extname } from 'node:path'
import { readBoundedText } from '../registry/index.ts'
import { isScalar, visit } from 'yaml'
import type { Document } from 'yaml'
import { error, yamlMessage } from '../common/index.ts'
import type { Loaded } from '../common/index.ts'
import type { Workflow } from './model.ts'
import { parseWorkflow } from './parse.ts'
import { aliasExpansion, duplicateKey, lineAndColumn, parseYamlBounded, YAML_TOO_SLOW } from '../manifest/index.ts'

/** A workflow file is small; one far larger is a mistake (or an attack on the parser). */
export const MAX_WORKFLOW_BYTES = 256 * 1024

/** The workflow in a file, or null with diagnostics naming the file, the line or field, and the fix. */
export function readWorkflowFile(file: string, plugin?: string): Loaded<Workflow | null> {
  // Read without blocking, and only a regular file: a FIFO named as a workflow would otherwise hold the
  // MCP server (and with it every settings-mode hook) until something wrote to it.
  const read = readBoundedText(file, MAX_WORKFLOW_BYTES)
  if (!read.ok) {
    const message =
      read.problem === 'too-large'
        ? `the file is ${read.size} bytes; a workflow is at most ${MAX_WORKFLOW_BYTES}. Split it, or pass long text as an input.`
        : read.problem === 'missing'
          ? "there is no such file. Check the path, or name a plugin's workflow as <plugin>:<workflow> (switchboard registry lists them)."
          : read.problem === 'not-a-file'
            ? `it is ${isFolder(file) ? 'a folder' : 'not a regular file (a pipe or a device)'}. Give a workflow file (.yaml), or <plugin>:<workflow>.`
            : `cannot read it (${read.message}). Check the path and its permissions.`
    return failed(file, 'WORKFLOW_UNREADABLE', message)
  }
  const text = read.text
  return parseWorkflowText(text, file, plugin)
}

/**
 * The workflow in YAML text (for files, for the hooks module through the MCP server, and for tests
 * and docs that hold the text). Named after its file unless `options.name` says otherwise.
 */
export function parseWorkflowText(
  text: string,
  file: string,
  plugin?: string,
  options: { name?: string; concurrency?: number } = {},
): Loaded<Workflow | null> {
  // Aliases are capped (yaml's maxAliasCount): a "billion laughs" document fails instead of growing.
  const document = parseYamlBounded(text)
  if (!document) return failed(file, 'WORKFLOW_INVALID_YAML', `${YAML_TOO_SLOW}. Fix the YAML syntax.`)
  const problem = document.errors[0]
  if (problem) {
    const line = lineAndColumn(text, problem.pos[0])
    return failed(
      file,
      'WORKFLOW_INVALID_YAML',
      `line ${line.line}, column ${line.col}: ${yamlMessage(problem)}. Fix the YAML syntax.`,
    )
  }
  const twice = duplicateKey(document)
  if (twice) {
    const at = lineAndColumn(text, twice.offset)
    return failed(
      file,
      'WORKFLOW_INVALID_YAML',
      `line ${at.line}, column ${at.col}: Map keys must be unique ("${twice.key}" is given twice). Fix the YAML syntax.`,
    )
  }
  // JavaScript objects take `__proto__` as their prototype, not a key: the name would vanish, or worse.
  const reserved = reservedKey(document, text)
  if (reserved)
    return failed(
      file,
      'WORKFLOW_INVALID_YAML',
      `line ${reserved.line}: a key named "${reserved.key}" cannot be used (JavaScript objects take it as their prototype). Rename it.`,
    )
  let value: unknown
  try {
    value = document.toJS({ maxAliasCount: 100 })
  } catch (thrown) {
    return failed(file, 'WORKFLOW_INVALID_YAML', `${(thrown as Error).message}. Use fewer aliases.`)
  }
  const expanded = aliasExpansion(text, value, 4 * MAX_WORKFLOW_BYTES)
  if (expanded !== undefined)
    return failed(
      file,
      'WORKFLOW_INVALID_YAML',
      `its aliases expand it to ${expanded} characters (at most ${4 * MAX_WORKFLOW_BYTES}); write the values out instead of *aliases.`,
    )
  return parseWorkflow(
    value,
    { file, name: options.name ?? basename(file, extname(file)), ...(plugin === undefined ? {} : { plugin }) },
    options.concurrency,
  )
}

// --- internal ---

/** A `__proto__` key, with its line: a JavaScript object takes it as its prototype, not as a key. */
function reservedKey(document: Document.Parsed, text: string): { key: string; line: number } | undefined {
  let found: { key: string; line: number } | undefined
  visit(document, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || !RESERVED_KEYS.has(String(pair.key.value))) return undefined
      found = { key: String(pair.key.value), line: text.slice(0, pair.key.range?.[0] ?? 0).split('\n').length }
      return visit.BREAK
    },
  })
  return found
}

const RESERVED_KEYS = new Set(['__proto__'])

function failed(file: string, code: string, message: string): Loaded<Workflow | null> {
  return { value: null, diagnostics: [error(code, file, message)] }
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory()
  } catch {
    return false
  }
}
