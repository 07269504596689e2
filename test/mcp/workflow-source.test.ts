// A workflow as the hooks module hands it to drive_workflow (module/workflow-load.ts): the module holds
// no YAML parser and no file-format schema, so the server reads the text or the snapshot's value.
import { describe, expect, it } from 'vitest'
import { callTool } from '../../src/mcp/tool-calls.ts'
import type { ToolEnvironment } from '../../src/mcp/tools.ts'
import { parseWorkflowSource } from '../../src/mcp/workflow-source.ts'
import type { WorkflowSource } from '../../src/mcp/workflow-source.ts'

// A source is read without any file, registry or session: an environment never touched.
const environment = {} as ToolEnvironment
const parse = async (source: Record<string, unknown>) =>
  parseWorkflowSource(source as unknown as WorkflowSource) as {
    workflow?: Record<string, unknown>
    problems?: string[]
  }

const YAML = `description: Lint, then explain
inputs:
  code: text
steps:
  - id: lint
    invoke: { plugin: lintkit, agent: style-checker, args: { code: $inputs.code } }
    on_complete: { inject_into: report }
  - id: both
    max_parallel: 30
    parallel:
      - id: a
        invoke: { plugin: lintkit, agent: style-checker, args: { code: $report } }
      - id: b
        invoke: { plugin: lintkit, agent: style-checker, args: { code: $report } }
`

describe('a workflow source, as drive_workflow reads it', () => {
  it('reads YAML text into the workflow the run engine takes, named after its file, its groups bounded by concurrency', async () => {
    const { workflow } = await parse({ text: YAML, file: '/project/flows/lint-twice.yaml', concurrency: 2 })
    expect(workflow).toMatchObject({
      name: 'lint-twice',
      caller: 'main',
      file: '/project/flows/lint-twice.yaml',
      waves: [
        { id: 'lint', steps: [{ id: 'lint', into: 'report', target: { id: 'lintkit:style-checker' } }] },
        { id: 'both', parallel: true, maxParallel: 2 },
      ],
    })
    expect(workflow).not.toHaveProperty('plugin')
  })

  it('reads a parsed document (a plugin workflow from the snapshot) with its plugin and name', async () => {
    const document = { steps: [{ id: 'only', invoke: { plugin: 'lintkit', agent: 'style-checker' } }] }
    const { workflow } = await parse({ document, file: '/p/workflows/x.yaml', name: 'x', plugin: 'lintkit' })
    expect(workflow).toMatchObject({ name: 'x', plugin: 'lintkit', waves: [{ id: 'only' }] })
  })

  it('answers the problems, each with its field and fix, for YAML that does not parse or a workflow that is wrong', async () => {
    expect(await parse({ text: 'steps: [\n', file: '/project/bad.yaml' })).toEqual({
      problems: [expect.stringMatching(/^line \d+, column \d+: .*Fix the YAML syntax\.$/)],
    })
    const { problems } = await parse({
      text: 'steps:\n  - id: a\n    invoke: { plugin: x }\n',
      file: '/project/w.yaml',
    })
    expect(problems).toEqual([expect.stringMatching(/^steps\.a\.invoke: /)])
  })

  it('takes exactly one of text and document, a file, and a text no larger than a workflow file may be', async () => {
    expect((await parse({ file: '/w.yaml' })).problems).toEqual([
      'Give the workflow as text or as document, one of the two.',
    ])
    expect((await parse({ text: YAML, document: {}, file: '/w.yaml' })).problems).toHaveLength(1)
    const start = {
      source: { text: YAML },
      inputs: {},
      receipts: {},
      fresh: false,
      caller: { type: null, invocation: null, agent: null },
    }
    expect(await callTool('drive_workflow', { start }, environment)).toMatchObject({
      isError: true,
      text: expect.stringContaining('file'),
    })
    expect((await parse({ text: `# ${'x'.repeat(300_000)}\n${YAML}`, file: '/w.yaml' })).problems).toEqual([
      expect.stringContaining('a workflow is at most 262144 bytes'),
    ])
  })
})
