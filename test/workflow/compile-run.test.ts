// A compiled script's runner, run in Node as the Workflow tool runs it (test/helpers/workflow-script.ts):
// prompts, slots between steps, conditions, on_error, parallel bounds, budgets and inputs.
import { describe, expect, it } from 'vitest'
import { readWorkflowFile } from '../../src/workflow/index.ts'
import { compile, compileYaml, runScript } from '../helpers/workflow-script.ts'
import type { AgentCall } from '../helpers/workflow-script.ts'
import { EXAMPLE_WORKFLOWS } from '../helpers/workflows.ts'

const example = (index: number) => compile(readWorkflowFile(EXAMPLE_WORKFLOWS[index]!).value!).script
const DENIED =
  'Workflow agent spawn denied by a plugin: Switchboard: policy: a rule in policy.json denies main -> tdd-design:illustrator.'
const ART = '{"svg": "<svg/>", "alt": "kite"}'
/** setTimeout that records each backoff and fires it at once, so backoff is asserted without waiting (budget timers run as set). */
const recordingTimer = (waits: number[]) =>
  ((fn: () => void, ms: number) => {
    if (ms < 60_000) waits.push(ms)
    return setTimeout(fn, ms >= 60_000 ? ms : 0)
  }) as unknown as typeof setTimeout
const byAgent = (answers: Record<string, (call: AgentCall) => string | null>) => (call: AgentCall) => {
  const answer = answers[call.opts.agentType]
  if (!answer) throw new Error(`no answer for ${call.opts.agentType}`)
  return answer(call)
}

describe('a compiled script, run', () => {
  it('runs Editor -> Designer: each agent gets its filled prompt, the edited text flows on, the JSON return is read', async () => {
    const { result, calls } = await runScript(
      example(0),
      byAgent({ 'tdd-editor:editor': () => 'Kites fly.', 'tdd-design:illustrator': () => ART }),
      { args: { draft: 'kites  fly high' } },
    )
    expect(calls.map((c) => [c.opts, c.prompt])).toEqual([
      [
        { label: 'edit', phase: 'edit', agentType: 'tdd-editor:editor' },
        'draft: kites  fly high\nillustrate: no\n[[switchboard into=edited_article]]',
      ],
      [
        { label: 'illustrate', phase: 'illustrate', agentType: 'tdd-design:illustrator' },
        'content: Kites fly.\nstyle: flat\n[[switchboard into=illustration]]',
      ],
    ])
    expect(result).toEqual({
      workflow: 'illustrate-draft',
      status: 'ok',
      outputs: { article: 'Kites fly.', illustration: { svg: '<svg/>', alt: 'kite' } },
      steps: {
        edit: { status: 'ok', target: 'tdd-editor:editor', attempts: 1 },
        illustrate: { status: 'ok', target: 'tdd-design:illustrator', attempts: 1 },
      },
      calls: 2,
    })
  })

  // Found by review: workflow check and the run engine pass a $HOME no step writes on as text; the script
  // took it for an unset slot and failed the step.
  it('passes a $HOME no step writes on as text, as the other runtimes do', async () => {
    const script = compileYaml(
      'inputs: { text: text }\nsteps:\n  - id: edit\n    invoke: { plugin: tdd-editor, agent: editor, prompt: "Install into $HOME/bin.", args: { draft: $inputs.text } }\n',
    )
    const { result, calls } = await runScript(script, () => 'EDITED', { args: { text: 'hi' } })
    expect(result.status).toBe('ok')
    expect(calls[0]!.prompt).toContain('Install into $HOME/bin.')
  })

  it('retries with doubling backoff, then continues without the slot (then: continue)', async () => {
    const waits: number[] = []
    const { result, calls } = await runScript(
      example(0),
      byAgent({ 'tdd-editor:editor': () => 'Kites fly.', 'tdd-design:illustrator': () => 'no JSON here' }),
      { args: { draft: 'd' }, setTimeout: recordingTimer(waits) },
    )
    expect(calls.map((c) => c.opts.label)).toEqual([
      'edit',
      'illustrate',
      'illustrate (retry 1)',
      'illustrate (retry 2)',
    ])
    expect(waits).toEqual([5000, 10_000])
    expect(result.status).toBe('ok')
    expect(result.outputs).toEqual({ article: 'Kites fly.' })
    expect(result.steps.illustrate).toEqual({
      status: 'failed',
      target: 'tdd-design:illustrator',
      attempts: 3,
      error:
        'tdd-design:illustrator: its return should be JSON (its output contract), and no JSON value was found in it',
    })
  })

  it("does not retry the guard's refusal, and the script reads its reason", async () => {
    const { result, calls } = await runScript(
      example(0),
      byAgent({
        'tdd-editor:editor': () => 'Kites fly.',
        'tdd-design:illustrator': () => {
          throw new Error(DENIED)
        },
      }),
      { args: { draft: 'd' } },
    )
    expect(calls).toHaveLength(2)
    expect(result.steps.illustrate).toEqual({
      status: 'failed',
      target: 'tdd-design:illustrator',
      attempts: 1,
      error: `tdd-design:illustrator: ${DENIED}`,
    })
  })

  it('stops the run at a failed step (then: stop), leaving the rest not run', async () => {
    const { result, calls } = await runScript(example(0), byAgent({ 'tdd-editor:editor': () => null }), {
      args: { draft: 'd' },
    })
    expect(calls).toHaveLength(1)
    expect(result.status).toBe('failed')
    expect(result.reason).toBe(
      'step edit failed, so the workflow stops: tdd-editor:editor: the agent returned nothing (it was skipped, or it died on an API error)',
    )
    expect(result.steps.illustrate).toEqual({ status: 'not_run', target: 'tdd-design:illustrator', attempts: 0 })
  })

  it('calls the fallback once the retries are spent, and its return fills the slot', async () => {
    const script = compileYaml(
      'inputs: { draft: markdown }\nsteps:\n  - id: edit\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft } }\n    on_complete: { inject_into: edited }\n    on_error: { retry: 1, fallback: { capability: copy-editing@^1 } }\noutputs: { edited: $edited }\n',
    )
    const { result, calls } = await runScript(
      script,
      (_, i) => {
        if (i < 2) throw new Error('overloaded')
        return 'FIXED'
      },
      { args: { draft: 'd' } },
    )
    expect(calls.map((c) => c.opts.label)).toEqual(['edit', 'edit (retry 1)', 'edit (fallback)'])
    expect(result.outputs).toEqual({ edited: 'FIXED' })
    expect(result.steps.edit).toEqual({ status: 'ok', target: 'tdd-editor:editor', attempts: 3 })
  })

  it('runs Growth -> All: the group at once, the command through a Skill call, unset slots left out of the summary', async () => {
    let running = 0
    let most = 0
    const agent = async (call: AgentCall) => {
      running++
      most = Math.max(most, running)
      await new Promise((resolve) => setTimeout(resolve, 5))
      running--
      if (call.opts.agentType === 'tdd-design:illustrator') throw new Error('overloaded')
      return {
        'tdd-editor:editor': 'EDITED',
        'general-purpose': '{"score": 7, "title": "T", "keywords": ["k"]}',
        'tdd-growth:summarizer': '{"title": "T", "summary": "S", "keywords": ["k"]}',
      }[call.opts.agentType]!
    }
    const { result, calls } = await runScript(example(2), agent, { args: { article: 'Launch day' } })
    expect(most).toBe(3)
    const seo = calls.find((c) => c.opts.label === 'seo')!
    expect(seo.prompt).toBe(
      'Call the Skill tool once, with skill "tdd-growth:seo" and as args exactly the text between the two fence lines below (without the fence lines). Then give the skill\'s result as your final answer, and nothing else. Do not do the work without calling the skill.\n\n```\ncontent: Launch day\n[[switchboard into=seo_report]]\n```',
    )
    // The illustration failed twice (then: continue): the summary is called without it.
    expect(calls.at(-1)!.prompt).toBe(
      'article: EDITED\nseo:\n```\n{"score":7,"title":"T","keywords":["k"]}\n```\n[[switchboard into=launch_brief]]',
    )
    expect(result.status).toBe('ok')
    expect(result.outputs).toEqual({ brief: { title: 'T', summary: 'S', keywords: ['k'] }, article: 'EDITED' })
  })

  it('keeps a parallel group within max_parallel', async () => {
    const script = compileYaml(
      'inputs: { a: markdown }\nsteps:\n  - id: group\n    max_parallel: 2\n    parallel:\n' +
        ['x', 'y', 'z']
          .map(
            (id) =>
              `      - id: ${id}\n        invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.a } }\n`,
          )
          .join(''),
    )
    let running = 0
    let most = 0
    await runScript(
      script,
      async () => {
        running++
        most = Math.max(most, running)
        await new Promise((r) => setTimeout(r, 5))
        running--
        return 'ok'
      },
      { args: { a: 'x' } },
    )
    expect(most).toBe(2)
  })

  it('skips a step whose condition does not hold, and leaves its unset slot out of later calls', async () => {
    const script = compileYaml(
      'inputs: { article: markdown }\nsteps:\n  - id: seo\n    invoke: { plugin: tdd-growth, command: seo, args: { content: $inputs.article } }\n    on_complete: { inject_into: seo_report }\n  - id: rewrite\n    when: { slot: seo_report, field: score, matches: "^[0-5]$" }\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.article } }\n    on_complete: { inject_into: edited }\n  - id: brief\n    invoke: { plugin: tdd-growth, agent: summarizer, args: { article: $inputs.article, seo: $seo_report } }\n',
    )
    const { result, calls } = await runScript(
      script,
      (call) =>
        call.opts.label === 'seo'
          ? '```json\n{"score": 9, "title": "T", "keywords": []}\n```'
          : '{"title": "T", "summary": "S", "keywords": []}',
      { args: { article: 'A' } },
    )
    expect(calls.map((c) => c.opts.label)).toEqual(['seo', 'brief'])
    expect(result.steps.rewrite).toEqual({ status: 'skipped', target: 'tdd-editor:editor', attempts: 0 })
  })

  it("stops at a step's call budget with a partial result", async () => {
    const script = compileYaml(
      'inputs: { d: markdown }\nbudget: { calls: 4 }\nsteps:\n  - id: one\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.d } }\n    on_complete: { inject_into: first }\n  - id: two\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $first } }\n    on_error: { retry: 3 }\n    budget: { calls: 2 }\noutputs: { first: $first }\n',
    )
    const { result, calls } = await runScript(
      script,
      (_, i) => {
        if (i > 0) throw new Error('overloaded')
        return 'E'
      },
      { args: { d: 'x' } },
    )
    expect(calls).toHaveLength(3)
    expect(result).toMatchObject({
      status: 'budget_exhausted',
      reason: "step two's budget of 2 calls is spent; nothing more runs.",
      outputs: { first: 'E' },
      steps: { two: { status: 'budget_exhausted', attempts: 2 } },
    })
  })

  it('stops waiting for a step at its time budget and starts nothing more', async () => {
    const script = compileYaml(
      'inputs: { d: markdown }\nsteps:\n  - id: slow\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.d } }\n    budget: { time: 200ms }\n  - id: next\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.d } }\n',
    )
    const { result, calls } = await runScript(script, () => new Promise<string>(() => {}), { args: { d: 'x' } })
    expect(calls).toHaveLength(1)
    expect(result).toMatchObject({
      status: 'budget_exhausted',
      reason: "step slow's time budget is spent; nothing more runs.",
      steps: { slow: { status: 'budget_exhausted' }, next: { status: 'not_run' } },
    })
  })

  it('refuses wrong inputs before any call, each with its fix', async () => {
    const run = (args: unknown) => runScript(example(0), () => 'x', { args })
    expect((await run(undefined)).result.reason).toBe(
      'the inputs are wrong, so nothing ran: input "draft" (markdown) is required. Pass it in the Workflow tool\'s args: {"draft": "..."}.',
    )
    expect((await run({ draft: 'd', stlye: 'flat' })).result.reason).toBe(
      'the inputs are wrong, so nothing ran: there is no input "stlye". Inputs: draft, style?.',
    )
    expect((await run({ draft: 'd', style: 'watercolour' })).result.reason).toBe(
      'the inputs are wrong, so nothing ran: input "style": "watercolour" is not one of flat, sketch.',
    )
    expect((await run('["draft"]')).result.reason).toBe(
      'the inputs are wrong, so nothing ran: args must be an object of input values, e.g. {"draft": "..."}',
    )
    const fixed = compile(readWorkflowFile(EXAMPLE_WORKFLOWS[0]!).value!, { draft: 'fixed draft' }).script
    const refused = await runScript(fixed, () => 'x', { args: { draft: 'other' } })
    expect(refused.calls).toHaveLength(0)
    expect(refused.result.reason).toBe(
      'the inputs are wrong, so nothing ran: input "draft" is fixed in this compiled script; compile it again without draft=... to pass it in args.',
    )
    expect(
      (await runScript(fixed, byAgent({ 'tdd-editor:editor': () => 'E', 'tdd-design:illustrator': () => ART })))
        .calls[0]!.prompt,
    ).toBe('draft: fixed draft\nillustrate: no\n[[switchboard into=edited_article]]')
  })
})
