// workflow compile: golden scripts for the three examples, and text from the workflow file or a fixed
// input that must stay data, whatever it holds.
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseWorkflowText, readWorkflowFile, resolveForCompile } from '../../src/workflow/index.ts'
import { REPO } from '../helpers/cli.ts'
import { compile, compileYaml, planOf, runScript } from '../helpers/workflow-script.ts'
import { context, EXAMPLE_WORKFLOWS, workflowOf } from '../helpers/workflows.ts'

// Every way out of a string literal, a comment or a line, and what hides in an approval dialog.
const HOSTILE = [
  '"); globalThis.pwned = 1; ("',
  "'); globalThis.pwned = 1; ('",
  '`; globalThis.pwned = 1; `',
  '${globalThis.pwned = 1}',
  '</script><script>globalThis.pwned = 1</script>',
  'line one\nglobalThis.pwned = 1 //',
  'sep\u2028globalThis.pwned = 1\u2029end',
  '*/ globalThis.pwned = 1 /*',
  '\\"; globalThis.pwned = 1; //',
  'bidi \u202e1 = denwp.sihTlabolg\u202c and \u0000 nul \u007f \u0085 zero\u200bwidth \ud83e\udd81',
].join(' | ')

const ASCII_LINES = /^[\n\x20-\x7e]*$/

describe('compileWorkflow', () => {
  it.each(EXAMPLE_WORKFLOWS)('compiles %s to its golden script', async (file) => {
    const workflow = readWorkflowFile(file).value!
    const { script } = compile({ ...workflow, file: `examples/${file.split('/examples/')[1]}` })
    await expect(script).toMatchFileSnapshot(`golden/${basename(file, '.yaml')}.workflow.js`)
  })

  it('writes meta as a pure literal first, phases by wave, and everything else as one JSON PLAN', () => {
    const workflow = readWorkflowFile(EXAMPLE_WORKFLOWS[2]!).value!
    const { script, warnings } = compile(workflow)
    expect(script.split('\n').slice(0, 6)).toEqual([
      'export const meta = {',
      '  name: "distribute",',
      '  description: "Edit, illustrate and SEO-review an article in parallel, then write its launch brief.",',
      `  whenToUse: "Pass the inputs in the tool's args: article (markdown). Compiled by Switchboard from its workflow distribute.",`,
      '  phases: [{ title: "fan_out" }, { title: "summarize" }],',
      '}',
    ])
    const plan = planOf(script) as { waves: Array<{ steps: Array<{ id: string; call: Record<string, unknown> }> }> }
    // The command runs through a general-purpose agent's Skill call; agents by their own type.
    expect(plan.waves.flatMap((w) => w.steps.map((s) => [s.id, s.call.target, s.call.kind, s.call.agentType]))).toEqual(
      [
        ['edit', 'tdd-editor:editor', 'agent', 'tdd-editor:editor'],
        ['illustrate', 'tdd-design:illustrator', 'agent', 'tdd-design:illustrator'],
        ['seo', 'tdd-growth:seo', 'skill', 'general-purpose'],
        ['summarize', 'tdd-growth:summarizer', 'agent', 'tdd-growth:summarizer'],
      ],
    )
    expect(warnings).toEqual([
      'caller: the Workflow tool starts every agent from the session, so the guard checks the steps as calls from main, not from tdd-growth:distributor (each was checked so, and is allowed).',
      'steps.fan_out.parallel.seo: tdd-growth:seo is a command, and a Workflow script cannot call the Skill tool: the script asks a general-purpose agent to make that Skill call, which the guard checks and traces as any other (tdd-growth:seo).',
    ])
  })

  it('routes a capability at compile time: the script calls the provider', () => {
    const plan = planOf(compile(readWorkflowFile(EXAMPLE_WORKFLOWS[1]!).value!).script) as {
      waves: Array<{ steps: Array<{ call: { target: string } }> }>
    }
    expect(plan.waves[1]!.steps[0]!.call.target).toBe('tdd-editor:editor')
  })

  it('refuses a step the guard would refuse from the session, even when the declared caller may make it', () => {
    const workflow = workflowOf(
      'caller: tdd-growth:distributor\nsteps:\n  - id: edit\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: hi } }\n',
    )
    const { problems } = resolveForCompile(
      workflow,
      context({ rules: [{ caller: 'main', target: 'tdd-editor:editor', action: 'deny' }] as never }),
    )
    expect(problems).toHaveLength(1)
    expect(problems[0]!.path).toBe('steps.edit.invoke')
    expect(problems[0]!.message).toMatch(
      /^The Workflow tool starts every agent from the session, so the guard judges this call as main's, not tdd-growth:distributor's: policy: /,
    )
  })

  it('keeps hostile text from the workflow file and fixed inputs as data: ASCII-only JSON literals, read back exactly, never run', async () => {
    const yaml = [
      `description: ${JSON.stringify(HOSTILE)}`,
      'inputs: { draft: markdown, note: string }',
      'steps:',
      `  - id: edit`,
      `    invoke: { plugin: tdd-tech, agent: tech-writer, prompt: ${JSON.stringify(HOSTILE)}, args: { notes: $inputs.draft, topic: ${JSON.stringify(`${HOSTILE} $inputs.note`)} } }`,
      'outputs: { article: $inputs.draft }',
    ].join('\n')
    const script = compileYaml(yaml, { draft: HOSTILE })
    expect(script).toMatch(ASCII_LINES)
    expect(script).not.toContain('</script')
    const plan = planOf(script) as {
      inputs: Array<[string, { fixed?: string }]>
      waves: Array<{ steps: Array<{ call: { prompt: string[]; args: Array<[string, unknown[]]> } }> }>
    }
    expect(plan.inputs[0]).toEqual(['draft', { type: 'markdown', optional: false, fixed: HOSTILE }])
    expect(plan.waves[0]!.steps[0]!.call.prompt).toEqual([HOSTILE])
    expect(plan.waves[0]!.steps[0]!.call.args[1]).toEqual(['topic', [`${HOSTILE} `, { input: 'note' }]])
    // Run it: the hostile text reaches the agent as text, and none of it ran as code.
    const { result, calls } = await runScript(script, () => 'EDITED', { args: { note: HOSTILE } })
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined()
    expect(result.status).toBe('ok')
    expect(result.outputs).toEqual({ article: HOSTILE })
    expect(
      calls[0]!.prompt.startsWith(`${HOSTILE}\nnotes:\n\`\`\`\n${HOSTILE}\n\`\`\`\ntopic: ${HOSTILE} \n\`\`\``),
    ).toBe(true)
    const meta = new Function(
      `return (${script.slice('export const meta = '.length, script.indexOf('\n}\n') + 2)})`,
    )() as { description: string }
    expect(meta.description).toBe(HOSTILE)
  })

  // (A `__proto__` key in the YAML's maps never reaches compile: parsing drops it, reported separately.)
  // The run engine and the guided runs keep inputs and slots in plain objects, where such a name read as
  // set when it was not (found by review): every runtime refuses them, compile included, at the file.
  it('refuses author names that are also object keys (__proto__, constructor) before it compiles', () => {
    const read = parseWorkflowText(
      'inputs: { constructor: string }\nsteps:\n  - id: edit\n    invoke: { plugin: tdd-tech, agent: tech-writer, args: { topic: $inputs.constructor } }\n    on_complete: { inject_into: __proto__ }\n',
      '/w/names.yaml',
    )
    expect(read.value).toBeNull()
    expect(read.diagnostics.map((d) => d.path)).toEqual(['inputs.constructor', 'steps.edit.on_complete.inject_into'])
  })
})

describe('docs/workflows.md "Compile to the Workflow tool"', () => {
  it('shows the start of the script compile writes for the example', () => {
    const page = readFileSync(join(REPO, 'docs', 'workflows.md'), 'utf8')
    const shown = /^```js\n([\s\S]*?)^```$/m.exec(page)![1]!
    const workflow = readWorkflowFile(EXAMPLE_WORKFLOWS[0]!).value!
    expect(
      compile({ ...workflow, file: 'examples/tdd-editor/workflows/illustrate-draft.yaml' }).script.startsWith(shown),
    ).toBe(true)
  })
})
