// workflow plan: the calls a run would make, in waves, with the resolved target and the guard's verdict.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { conditionHolds, fillCall, planWorkflow, readWorkflowFile } from '../../src/workflow/index.ts'
import { context, EXAMPLE_WORKFLOWS, WORKFLOW_FIXTURES, workflowOf } from '../helpers/workflows.ts'

const read = (file: string) => readWorkflowFile(file).value!
const [illustrate, copyEdit, distribute] = EXAMPLE_WORKFLOWS.map(read) as [
  ReturnType<typeof read>,
  ReturnType<typeof read>,
  ReturnType<typeof read>,
]

describe('planWorkflow', () => {
  it('plans the Growth -> All fan-out as one parallel wave, then the summary, for the distributor', () => {
    const plan = planWorkflow(distribute, context(), { article: '# Launch\n\nWe ship today.' })
    expect(plan.problems).toEqual([])
    expect(plan.caller).toBe('tdd-growth:distributor')
    expect(
      plan.waves.map((w) => ({
        id: w.id,
        parallel: w.parallel,
        maxParallel: w.maxParallel,
        steps: w.steps.map((s) => [s.id, s.target, s.kind, s.tool, s.verdict.allow, s.into]),
      })),
    ).toEqual([
      {
        id: 'fan_out',
        parallel: true,
        maxParallel: 3,
        steps: [
          ['edit', 'tdd-editor:editor', 'agent', 'Agent', true, 'edited_article'],
          ['illustrate', 'tdd-design:illustrator', 'agent', 'Agent', true, 'illustration'],
          ['seo', 'tdd-growth:seo', 'command', 'Skill', true, 'seo_report'],
        ],
      },
      {
        id: 'summarize',
        parallel: false,
        maxParallel: 1,
        steps: [['summarize', 'tdd-growth:summarizer', 'agent', 'Agent', true, 'launch_brief']],
      },
    ])
    // Inputs are filled in; slots stay for the guard to fill at call time.
    expect(plan.waves[0]!.steps[0]!.args).toEqual({ draft: '# Launch\n\nWe ship today.', illustrate: 'no' })
    expect(plan.waves[1]!.steps[0]!.args).toEqual({
      article: '$edited_article',
      illustration: '$illustration',
      seo: '$seo_report',
    })
    expect(plan.budget).toEqual({ calls: 8, timeMs: 900_000, plannedCalls: 5 })
  })

  it('routes a capability to its provider and says how', () => {
    const plan = planWorkflow(copyEdit, context(), { topic: 'Release 2.0' })
    const step = plan.waves[1]!.steps[0]!
    expect(step).toMatchObject({
      requested: 'copy-editing@^1',
      target: 'tdd-editor:editor',
      route: 'tdd-editor:editor is the only provider of copy-editing@^1 (1.0.0).',
      verdict: { allow: true },
    })
    // The optional notes input was not given: the argument is left out, not passed as "$inputs.notes".
    expect(plan.waves[0]!.steps[0]!.args).toEqual({ topic: 'Release 2.0', copy_edit: 'no' })
  })

  it('applies defaults, and lists missing and mistyped inputs as what would stop a run', () => {
    expect(planWorkflow(illustrate, context(), { draft: 'x' }).inputs).toEqual({ draft: 'x', style: 'flat' })
    expect(planWorkflow(illustrate, context(), { style: 'oil', colour: 'red' }).problems).toEqual([
      'there is no input "colour". Inputs: draft, style?.',
      'input "draft" (markdown) is required. Add draft=<value> or draft=@file.md.',
      'input "style": "oil" is not one of flat, sketch.',
    ])
  })

  it('shows a call the guard refuses as denied, with its reason, instead of failing the plan', () => {
    const plan = planWorkflow(read(join(WORKFLOW_FIXTURES, 'private-target.yaml')), context(), { subject: 'autumn' })
    expect(plan.waves[0]!.steps[0]!.verdict).toEqual({
      allow: false,
      reason: expect.stringMatching(/^private: tdd-design:palette is private/),
    })
    expect(plan.problems).toEqual([expect.stringMatching(/^step colours: private: /)])
  })

  it('plans a fallback as a call of its own', () => {
    const workflow = workflowOf(
      'inputs: { draft: markdown }\nsteps:\n  - id: edit\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft } }\n    on_error: { retry: 1, fallback: { capability: copy-editing@^1 }, then: continue }\n',
    )
    expect(planWorkflow(workflow, context(), { draft: 'd' }).waves[0]!.steps[0]!.onError).toEqual({
      retries: 1,
      backoffMs: 0,
      then: 'continue',
      fallback: expect.objectContaining({
        target: 'tdd-editor:editor',
        args: { draft: 'd' },
        verdict: { allow: true },
      }),
    })
  })
})

describe('fillCall', () => {
  it('leaves out an argument that is exactly one unset slot, keeps text around one', () => {
    expect(
      fillCall({ args: { seo: '$seo_report', note: 'see $seo_report', n: 3 } }, {}, (slot) => slot !== 'seo_report'),
    ).toEqual({ ok: true, args: { note: 'see $seo_report', n: 3 } })
  })

  it('fills an absent optional input inside text with nothing', () => {
    expect(fillCall({ prompt: 'Notes: $inputs.notes.', args: {} }, {})).toEqual({
      ok: true,
      prompt: 'Notes: .',
      args: {},
    })
  })
})

describe('conditionHolds', () => {
  const slots: Record<string, unknown> = {
    seo_report: '{"score": 72, "title": "Kites"}',
    verdict: 'approved',
    empty: undefined,
  }
  const lookup = (s: { slot?: string; input?: string }) =>
    s.slot ? slots[s.slot] : s.input === 'style' ? 'flat' : undefined

  it('tests existence, equality with types, fields of JSON returns and patterns, without code', () => {
    expect(conditionHolds({ slot: 'seo_report', exists: true }, lookup)).toBe(true)
    expect(conditionHolds({ slot: 'empty', exists: false }, lookup)).toBe(true)
    expect(conditionHolds({ slot: 'seo_report', field: 'score', equals: 72 }, lookup)).toBe(true)
    expect(conditionHolds({ slot: 'seo_report', field: 'score', equals: '72' }, lookup)).toBe(true)
    expect(conditionHolds({ slot: 'seo_report', field: 'title', not_equals: 'Kites' }, lookup)).toBe(false)
    expect(conditionHolds({ slot: 'seo_report', field: 'missing', exists: true }, lookup)).toBe(false)
    expect(conditionHolds({ slot: 'verdict', matches: '^approv' }, lookup)).toBe(true)
    expect(conditionHolds({ input: 'style', equals: 'flat' }, lookup)).toBe(true)
  })

  it('does not walk into inherited properties, and bounds what a pattern reads', () => {
    expect(conditionHolds({ slot: 'seo_report', field: 'constructor', exists: true }, lookup)).toBe(false)
    const long = `${'a'.repeat(20_000)}END`
    expect(conditionHolds({ slot: 'long', matches: 'END' }, () => long)).toBe(false)
  })
})
