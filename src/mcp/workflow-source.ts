/**
 * A workflow as the hooks module hands it to drive_workflow: the text of a file its caller read
 * (YAML or JSON), or a plugin's workflow as the registry snapshot holds it (parsed YAML). The module
 * holds no YAML parser and no file-format schema (zod), which every session would pay for, since
 * Claude Code analyses a module's whole code at load (docs/runtimes.md). Pure: no file is read here,
 * so the server gives nobody a file they could not read themselves.
 */
import { basename, extname } from 'node:path'
import { errorLines } from '../common/index.ts'
import { MAX_WORKFLOW_BYTES, parseWorkflow, parseWorkflowText } from '../workflow/index.ts'
import type { Workflow } from '../workflow/index.ts'

export interface WorkflowSource {
  /** The file's text, as the caller read it. */
  text?: string
  /** Or its parsed value: a plugin's workflow as the registry snapshot holds it. */
  document?: unknown
  /** The file it came from, for messages and for the name when the file gives none. */
  file: string
  /** The name when the file gives none (default: the file name without its extension). */
  name?: string
  /** The plugin that ships it, when it is in one's workflows/ folder. */
  plugin?: string
  /** How many agents Claude Code runs at once (a parallel group's bound). */
  concurrency?: number
}

/** The normalised workflow the run engine takes, or the problems that stop it (each with its fix). */
export function parseWorkflowSource(source: WorkflowSource): { workflow: Workflow } | { problems: string[] } {
  if ((source.text === undefined) === (source.document === undefined))
    return { problems: ['Give the workflow as text or as document, one of the two.'] }
  // The stored value is bounded as its file was (the registry read at most that), here in its JSON.
  const bytes = Buffer.byteLength(source.text ?? JSON.stringify(source.document) ?? '')
  if (bytes > MAX_WORKFLOW_BYTES)
    return {
      problems: [
        `${source.file}: the workflow is ${bytes} bytes; a workflow is at most ${MAX_WORKFLOW_BYTES} bytes. Split it, or pass long text as an input.`,
      ],
    }
  const name = source.name ?? basename(source.file, extname(source.file))
  const options = { name, ...(source.concurrency === undefined ? {} : { concurrency: source.concurrency }) }
  const result =
    source.text !== undefined
      ? parseWorkflowText(source.text, source.file, source.plugin, options)
      : parseWorkflow(
          source.document,
          { file: source.file, name, ...(source.plugin === undefined ? {} : { plugin: source.plugin }) },
          source.concurrency,
        )
  if (result.value) return { workflow: result.value }
  const problems = errorLines(result.diagnostics)
  return { problems: problems.length > 0 ? problems : [`${source.file}: it does not parse.`] }
}
