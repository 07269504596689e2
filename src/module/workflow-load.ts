/**
 * Which workflow the invoke tool runs, read without a YAML parser (the module has none and must stay
 * small): a plugin's workflow (`plugin:name`, or the path of a file in a plugin's workflows/ folder)
 * comes from the registry snapshot, where SessionStart stored each file as parsed YAML
 * (registry/scan-workflows.ts); any other path must be a `.json` file inside the project (the same
 * fields; YAML is a superset of JSON), read with the caller's own Read. The parsed value goes through
 * the core's parseWorkflow and checkWorkflow, as on the command line.
 */
import { error, inert } from '../common/core.ts'
import type { Diagnostic } from '../common/core.ts'
import type { RegistrySnapshot } from '../registry/snapshot-format.ts'
import { parseWorkflow, workflowKey } from '../workflow/core.ts'
import type { Workflow } from '../workflow/core.ts'
import type { Engine } from './mod-api.ts'

export interface LoadedWorkflow {
  workflow: Workflow
  /** Names the workflow in the receipts folder: `plugin-<plugin>-<name>`, or `file-<hash of its real path>`. */
  key: string
}

export type WorkflowReader = (path: string) => Promise<{ text: string } | { problem: string }>

/** The workflow `spec` names, or the problems that say why it cannot run (each with its fix). */
export async function loadWorkflow(
  $: Engine,
  snapshot: RegistrySnapshot,
  spec: string,
  projectDir: string,
  concurrency: number,
  readAsCaller: WorkflowReader,
): Promise<LoadedWorkflow | { problems: string[] }> {
  const records = snapshot.plugins.flatMap((plugin) =>
    (plugin.workflows ?? []).map((record) => ({ plugin: plugin.name, record })),
  )
  const isPath = /[/\\]/.test(spec) || /\.(ya?ml|json)$/.test(spec) || !spec.includes(':')
  let found = isPath ? undefined : records.find((r) => r.record.id === spec)
  if (!isPath && !found) {
    const [pluginName] = spec.split(':')
    const plugin = snapshot.plugins.find((p) => p.name === pluginName)
    if (!plugin)
      return {
        problems: [
          `no plugin "${inert(pluginName ?? '')}" is loaded, so there is no workflow ${inert(spec)}. Workflows: ${records.map((r) => r.record.id).join(', ') || 'none'}.`,
        ],
      }
    return {
      problems: [
        `plugin "${inert(plugin.name)}" has no workflow "${inert(spec)}". It has: ${(plugin.workflows ?? []).map((w) => w.id).join(', ') || 'none (workflows/*.yaml)'}.`,
      ],
    }
  }
  let realPath: string | undefined
  if (isPath) {
    const absolute = spec.startsWith('/') ? spec : `${projectDir}/${spec}`
    realPath = (await $.fs.stat(absolute, { resolve: true }).catch(() => undefined))?.realPath
    if (!realPath)
      return {
        problems: [
          `cannot find ${inert(spec)}. Give a path inside the project, or a plugin's workflow as plugin:name.`,
        ],
      }
    found = records.find((r) => r.record.file === realPath)
  }
  if (found) {
    const { plugin, record } = found
    if (record.document === undefined)
      return {
        problems: [
          `${record.file}: ${record.problem ?? 'it was not read when the registry was built; run `switchboard sync` and start a new session.'}`,
        ],
      }
    const result = parseWorkflow(record.document, { file: record.file, name: record.name, plugin }, concurrency)
    return parsed(result.value, result.diagnostics, workflowKey({ plugin, name: record.name }))
  }
  if (!/\.json$/.test(realPath!)) {
    return {
      problems: [
        `${inert(spec)} is not a workflow of a loaded plugin, and in module mode Switchboard reads other workflow files only as JSON (it has no YAML parser inside Claude Code). Put the file in a plugin's workflows/ folder (then run it as plugin:name), or write it as a .json file with the same fields.`,
      ],
    }
  }
  const read = await readAsCaller(realPath!)
  if ('problem' in read) return { problems: [read.problem] }
  let value: unknown
  try {
    value = JSON.parse(read.text)
  } catch (thrown) {
    return {
      problems: [
        `${inert(spec)} is not JSON (${(thrown as Error).message}). Fix it, or write it as YAML in a plugin's workflows/ folder.`,
      ],
    }
  }
  const name = realPath!
    .split('/')
    .pop()!
    .replace(/\.json$/, '')
  const result = parseWorkflow(value, { file: realPath!, name }, concurrency)
  return parsed(result.value, result.diagnostics, workflowKey({ file: realPath! }))
}

/** Diagnostics as one line each, for the tool's `problems`. */
export function diagnosticLines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.path ? `${d.path}: ` : ''}${d.message}`)
}

// --- internal ---

function parsed(
  workflow: Workflow | null,
  diagnostics: Diagnostic[],
  key: string,
): LoadedWorkflow | { problems: string[] } {
  if (!workflow)
    return {
      problems: diagnosticLines(
        diagnostics.length > 0 ? diagnostics : [error('WORKFLOW_INVALID', '', 'it does not parse.')],
      ),
    }
  return { workflow, key }
}
