import { join } from 'node:path'
import { routeCapability } from '../../src/resolve/index.ts'
import type { Policy } from '../../src/guard/index.ts'
import { buildRegistry } from '../../src/registry/index.ts'
import type { Registry } from '../../src/registry/index.ts'
import { checkWorkflow, parseWorkflowText, readWorkflowFile } from '../../src/workflow/index.ts'
import type { Workflow, WorkflowContext } from '../../src/workflow/index.ts'
import { REPO } from './cli.ts'

export const WORKFLOW_FIXTURES = join(REPO, 'test', 'fixtures', 'workflows')
export const EXAMPLE_WORKFLOWS = [
  'tdd-editor/workflows/illustrate-draft.yaml',
  'tdd-tech/workflows/copy-edit-article.yaml',
  'tdd-growth/workflows/distribute.yaml',
].map((p) => join(REPO, 'examples', p))

let examples: Registry | undefined
/** The registry of the four example plugins, as a session with only them would have it. */
/** Two steps of the example plugins: the editor's return, in slot `edited`, is the illustrator's content. */
export const EDIT_THEN_PICTURE = `inputs: { text: text }
steps:
  - id: edit
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.text } }
    on_complete: { inject_into: edited }
  - id: picture
    invoke: { plugin: tdd-design, agent: illustrator, args: { content: $edited } }
`

/** One step of tdd-tech's tech-writer with this prompt and these arguments (YAML flow), its return into a slot. */
export const writerStep = (prompt: string, args = '{ topic: demo, notes: $inputs.notes }'): string =>
  [
    'inputs: { notes: markdown }',
    'steps:',
    '  - id: draft',
    '    invoke:',
    '      plugin: tdd-tech',
    '      agent: tech-writer',
    `      prompt: ${JSON.stringify(prompt)}`,
    `      args: ${args}`,
    '    on_complete: { inject_into: article_draft }',
  ].join('\n')

export function examplesRegistry(): Registry {
  examples ??= buildRegistry({
    cwd: REPO,
    env: { HOME: '/nonexistent' },
    installed: false,
    pluginDirs: ['tdd-editor', 'tdd-design', 'tdd-tech', 'tdd-growth'].map((p) => join(REPO, 'examples', p)),
  })
  return examples
}

export const policy = (overrides: Partial<Policy> = {}): Policy => ({
  strict: false,
  maxDepth: 4,
  maxCallsPerChain: 25,
  cycles: 'agent',
  defaultCallable: true,
  rules: [],
  files: [],
  problems: [],
  ...overrides,
})

export function context(overrides: Partial<Policy> = {}): WorkflowContext {
  return { snapshot: examplesRegistry(), policy: policy(overrides), route: routeCapability }
}

/** A workflow from YAML text that must parse. */
export function workflowOf(yaml: string, file = '/w/test.yaml'): Workflow {
  const read = parseWorkflowText(yaml, file)
  if (!read.value) throw new Error(`does not parse: ${JSON.stringify(read.diagnostics)}`)
  return read.value
}

/** The diagnostics of checking a file, as [code, path] pairs and messages. */
export function checkFile(file: string, overrides: Partial<Policy> = {}) {
  const read = readWorkflowFile(file)
  if (!read.value) throw new Error(`does not parse: ${JSON.stringify(read.diagnostics)}`)
  return checkWorkflow(read.value, context(overrides))
}
