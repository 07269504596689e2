/**
 * Which workflow the invoke tool runs. A plugin's workflow (`plugin:name`, or the path of a file in a
 * plugin's workflows/ folder) comes from the registry snapshot, where SessionStart stored each file
 * as parsed YAML (registry/scan-workflows.ts); any other path is a file the caller reads with its own
 * Read. Either way Switchboard's MCP server turns it into the workflow and runs its engine
 * (mcp/drive-workflow-tool.ts): the module holds no YAML parser, no file-format schema and no engine,
 * which every session would pay for (docs/runtimes.md).
 */
import { inert, lexicalResolve } from '../common/core.ts'
import { activeWorkflows } from '../registry/plugin-owner.ts'
import type { RegistrySnapshot } from '../registry/snapshot-format.ts'
import { isWorkflowPath, workflowKey } from '../workflow/core.ts'
import type { Engine } from './mod-api.ts'

/** A workflow as drive_workflow takes it: the text the caller read, or the snapshot's parsed value. */
type WorkflowSource = { file: string; concurrency: number } & (
  | { text: string }
  | { document: unknown; name: string; plugin: string }
)

export interface LoadedWorkflow {
  source: WorkflowSource
  /** Names the workflow in the receipts folder: `plugin-<plugin>-<name>`, or `file-<hash of its real path>`. */
  key: string
}

export type WorkflowReader = (path: string) => Promise<{ text: string; file: string } | { problem: string }>

/** The workflow `spec` names, or the problems that say why it cannot run (each with its fix). */
export async function loadWorkflow(
  $: Engine,
  snapshot: RegistrySnapshot,
  spec: string,
  projectDir: string,
  concurrency: number,
  readAsCaller: WorkflowReader,
): Promise<LoadedWorkflow | { problems: string[] }> {
  const records = activeWorkflows(snapshot.plugins)
  const isPath = isWorkflowPath(spec)
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
  if (isPath) {
    // A plugin's workflow may be named by its file wherever that lies; any other path is read as the
    // caller's own Read would (inside the project), and is refused alike whether or not a file outside
    // the project exists there, so this is no probe of the file system (readAsCaller).
    const absolute = lexicalResolve(projectDir, spec)
    const realPath = (await $.fs.stat(absolute, { resolve: true }).catch(() => undefined))?.realPath
    found = realPath === undefined ? undefined : records.find((r) => r.record.file === realPath)
  }
  if (found) {
    const { plugin, record } = found
    if (record.document === undefined)
      return {
        problems: [
          `${record.file}: ${record.problem ?? 'it was not read when the registry was built; run `switchboard sync` and start a new session.'}`,
        ],
      }
    const source = { document: record.document, file: record.file, name: record.name, plugin, concurrency }
    return { source, key: workflowKey({ plugin, name: record.name }) }
  }
  const read = await readAsCaller(spec)
  if ('problem' in read) return { problems: [read.problem] }
  return { source: { text: read.text, file: read.file, concurrency }, key: workflowKey({ file: read.file }) }
}
