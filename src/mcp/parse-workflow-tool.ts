/**
 * `parse_workflow`: a workflow's text (YAML or JSON) or parsed value → the normalised workflow the
 * run engine takes, or the problems that stop it. The hooks module runs workflows but holds no YAML
 * parser and no file-format schema (zod): both would cost every session, since Claude Code analyses a
 * module's whole code at load (docs/runtimes.md). So it reads a project file with the caller's own
 * Read, and asks this server, once per run, to parse what it read (module/workflow-load.ts). Pure:
 * no file is read here, so the tool gives nobody a file they could not read themselves.
 */
import { basename, extname } from 'node:path'
import { errorLines } from '../common/index.ts'
import { MAX_WORKFLOW_BYTES, parseWorkflow, parseWorkflowText } from '../workflow/index.ts'

export interface ParseWorkflowArgs {
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

export function parseWorkflowTool(args: ParseWorkflowArgs): string {
  if ((args.text === undefined) === (args.document === undefined))
    return JSON.stringify({ problems: ['Give the workflow as text or as document, one of the two.'] })
  if (args.text !== undefined && args.text.length > MAX_WORKFLOW_BYTES)
    return JSON.stringify({
      problems: [
        `${args.file}: the file is ${args.text.length} characters; a workflow is at most ${MAX_WORKFLOW_BYTES} bytes. Split it, or pass long text as an input.`,
      ],
    })
  const name = args.name ?? basename(args.file, extname(args.file))
  const options = { name, ...(args.concurrency === undefined ? {} : { concurrency: args.concurrency }) }
  const result =
    args.text !== undefined
      ? parseWorkflowText(args.text, args.file, args.plugin, options)
      : parseWorkflow(
          args.document,
          { file: args.file, name, ...(args.plugin === undefined ? {} : { plugin: args.plugin }) },
          args.concurrency,
        )
  if (result.value) return JSON.stringify({ workflow: result.value })
  const problems = errorLines(result.diagnostics)
  return JSON.stringify({ problems: problems.length > 0 ? problems : [`${args.file}: it does not parse.`] })
}
