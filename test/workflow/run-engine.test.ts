import { describe, expect, it } from 'vitest'
import { readWorkflowFile } from '../../src/workflow/index.ts'
import { refusalRecords } from '../../src/workflow/refusals.ts'
import type { RunCall, Workflow } from '../../src/workflow/index.ts'
import { context, EXAMPLE_WORKFLOWS, examplesRegistry, workflowOf } from '../helpers/workflows.ts'
import { denied, drive, fails, ok } from './run-driver.ts'
import type { Scripted } from './run-driver.ts'

const example = (index: number): Workflow =>
  readWorkflowFile(EXAMPLE_WORKFLOWS[index]!, ['tdd-editor', 'tdd-tech', 'tdd-growth'][index]).value!
const ILLUSTRATION = { svg: '<svg/>', alt: 'a lighthouse' }

/** Answers by target: the editor edits, the illustrator draws, and so on. */
function byTarget(
  overrides: Record<string, (call: RunCall, now: number) => Scripted> = {},
): (call: RunCall, now: number) => Scripted {
  return (call, now) => {
    const own = overrides[call.step] ?? overrides[call.target]
    if (own) return own(call, now)
    switch (call.target) {
      case 'tdd-editor:editor':
        return ok(`Edited: ${String(call.args.draft)}`)
      case 'tdd-design:illustrator':
        return ok(ILLUSTRATION)
      case 'tdd-tech:tech-writer':
        return ok(`Draft about ${String(call.args.topic)}`)
      case 'tdd-growth:seo':
        return ok({ score: 70, title: 'T', keywords: ['k'] })
      default:
        return ok({ title: 'T', summary: 'S', keywords: [] })
    }
  }
}

describe('run engine: waves, filling, conditions', () => {
  it('runs the steps wave by wave, each call filled with the inputs and the slots it reads left for the guard', () => {
    const run = drive({ workflow: example(0), context: context() }, byTarget(), { given: { draft: 'Hello' } })
    expect(run.result?.status).toBe('ok')
    expect(run.calls.map((c) => [c.step, c.target])).toEqual([
      ['edit', 'tdd-editor:editor'],
      ['illustrate', 'tdd-design:illustrator'],
    ])
    expect(run.calls[0]!.args).toEqual({ draft: 'Hello', illustrate: 'no' })
    expect(run.calls[1]!.args).toEqual({ content: '$edited_article', style: 'flat' })
    expect(run.calls[1]!.at).toBeGreaterThan(run.calls[0]!.at) // the second wave starts after the first ends
    expect(run.result?.outputs).toEqual({ article: 'Edited: Hello', illustration: ILLUSTRATION })
    expect(run.result?.steps.map((s) => [s.id, s.status, s.calls])).toEqual([
      ['edit', 'ok', 1],
      ['illustrate', 'ok', 1],
    ])
  })

  it('routes a capability to its provider and says how', () => {
    const run = drive({ workflow: example(1), context: context() }, byTarget(), { given: { topic: 'Release' } })
    expect(run.calls.map((c) => c.target)).toEqual(['tdd-tech:tech-writer', 'tdd-editor:editor'])
    expect(run.calls[1]!.route).toContain('tdd-editor:editor')
    expect(run.calls[0]!.args).not.toHaveProperty('notes') // an optional input not given is left out
  })

  it('starts a parallel group at once, bounded by max_parallel', () => {
    const all = drive({ workflow: example(2), context: context() }, byTarget(), { given: { article: 'A' } })
    expect(all.peak).toBe(3)
    expect(all.calls.slice(0, 3).every((c) => c.at === all.calls[0]!.at)).toBe(true)
    expect(all.calls[3]!.step).toBe('summarize')
    const bounded = workflowOf(`
inputs: { article: markdown }
steps:
  - id: fan
    max_parallel: 2
    parallel:
      - { id: a, invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.article } } }
      - { id: b, invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.article } } }
      - { id: c, invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.article } } }
`)
    const run = drive(
      { workflow: bounded, context: context() },
      byTarget({ a: () => ok('a', 1000), b: () => ok('b', 3000) }),
      { given: { article: 'A' } },
    )
    expect(run.peak).toBe(2)
    expect(run.calls.map((c) => [c.step, c.at - run.calls[0]!.at])).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 1000],
    ]) // c takes a's place
  })

  it('skips a step whose condition does not hold; a skipped step writes nothing', () => {
    const workflow = workflowOf(`
inputs: { article: markdown }
steps:
  - id: seo
    invoke: { plugin: tdd-growth, command: seo, args: { content: $inputs.article } }
    on_complete: { inject_into: seo_report }
  - id: rewrite
    when: { slot: seo_report, field: score, matches: "^[0-5]?[0-9]$" }
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.article } }
    on_complete: { inject_into: rewritten }
outputs: { rewritten: $rewritten }
`)
    const high = drive({ workflow, context: context() }, byTarget(), { given: { article: 'A' } })
    expect(high.result?.steps.map((s) => s.status)).toEqual(['ok', 'skipped'])
    expect(high.result).toMatchObject({ status: 'ok', partial: true, missing: ['rewritten'] })
    const low = drive({ workflow, context: context() }, byTarget({ seo: () => ok({ score: 40 }) }), {
      given: { article: 'A' },
    })
    expect(low.result?.steps.map((s) => s.status)).toEqual(['ok', 'ok'])
  })

  it('refuses inputs that are missing or of the wrong type, naming the input', () => {
    expect(() => drive({ workflow: example(0), context: context() }, byTarget(), { given: { style: 'oil' } })).toThrow(
      /input "draft" \(markdown\) is required[\s\S]*"oil" is not one of flat, sketch/,
    )
  })
})

describe('run engine: on_error', () => {
  it('retries with a doubling backoff on the clock it is given, then succeeds', () => {
    let tries = 0
    const run = drive(
      { workflow: example(0), context: context() },
      byTarget({ illustrate: () => (++tries < 3 ? fails('the agent failed', 100) : ok(ILLUSTRATION, 100)) }),
      { given: { draft: 'D' } },
    )
    const starts = run.calls.filter((c) => c.step === 'illustrate').map((c) => c.at)
    expect(starts).toHaveLength(3)
    expect([starts[1]! - starts[0]!, starts[2]! - starts[1]!]).toEqual([100 + 5000, 100 + 10000]) // 5s, then twice as long
    expect(run.result?.steps[1]).toMatchObject({ status: 'ok', calls: 3 })
  })

  it('shortens backoffs to what the runtime can wait, and says so', () => {
    const run = drive({ workflow: example(0), context: context() }, byTarget({ illustrate: () => fails('no', 0) }), {
      given: { draft: 'D' },
      waitLimitMs: 7000,
    })
    const starts = run.calls.filter((c) => c.step === 'illustrate').map((c) => c.at)
    expect([starts[1]! - starts[0]!, starts[2]! - starts[1]!]).toEqual([5000, 2000])
    expect(run.result?.warnings).toEqual([expect.stringContaining('shortened from 10000 ms to 2000 ms')])
  })

  it('tries the fallback once the retries are spent, with the step args, and stores its return in the same slot', () => {
    const workflow = workflowOf(`
inputs: { draft: markdown }
steps:
  - id: edit
    invoke: { plugin: tdd-design, agent: illustrator, args: { content: $inputs.draft } }
    on_complete: { inject_into: picture }
    on_error: { retry: 1, fallback: { plugin: tdd-design, agent: palette }, then: stop }
outputs: { picture: $picture }
`)
    const run = drive(
      { workflow, context: context() },
      byTarget({
        'tdd-design:illustrator': () => fails('contract mismatch'),
        'tdd-design:palette': () => ok({ colors: ['#fff'] }),
      }),
      { given: { draft: 'D' } },
    )
    expect(run.calls.map((c) => [c.target, c.fallback, c.args])).toEqual([
      ['tdd-design:illustrator', false, { content: 'D' }],
      ['tdd-design:illustrator', false, { content: 'D' }],
      ['tdd-design:palette', true, { content: 'D' }],
    ])
    expect(run.result).toMatchObject({ status: 'ok', outputs: { picture: { colors: ['#fff'] } } })
    expect(run.result?.steps[0]).toMatchObject({ status: 'ok', fallback: true, calls: 3, target: 'tdd-design:palette' })
    expect(run.receipts.edit).toMatchObject({
      producedBy: 'tdd-design:palette',
      key: { target: 'tdd-design:illustrator', fallback: { target: 'tdd-design:palette' } },
    })
  })

  it('continue: the next steps run and the unset slot is left out of their calls', () => {
    const run = drive({ workflow: example(2), context: context() }, byTarget({ illustrate: () => fails() }), {
      given: { article: 'A' },
    })
    expect(run.result?.status).toBe('ok')
    expect(run.result?.steps.find((s) => s.id === 'illustrate')).toMatchObject({ status: 'failed', calls: 2 })
    expect(run.calls.find((c) => c.step === 'summarize')!.args).toEqual({
      article: '$edited_article',
      seo: '$seo_report',
    })
  })

  it('stop: the run ends failed, the calls in flight finish, nothing new starts', () => {
    const run = drive(
      { workflow: example(2), context: context() },
      byTarget({ edit: () => fails('editor crashed', 10), illustrate: () => ok(ILLUSTRATION, 500) }),
      { given: { article: 'A' } },
    )
    expect(run.result?.status).toBe('failed')
    expect(run.result?.message).toContain('step edit: editor crashed')
    expect(run.result?.steps.map((s) => [s.id, s.status])).toEqual([
      ['edit', 'failed'],
      ['illustrate', 'ok'],
      ['seo', 'ok'],
      ['summarize', 'not_run'],
    ])
    expect(run.result?.partial).toBe(true)
    expect(Object.keys(run.receipts).sort()).toEqual(['illustrate', 'seo']) // a resume redoes only edit and summarize
  })

  it('a step the policy denies for the workflow caller is never called: stop ends the run denied, continue goes on', () => {
    const rules = [
      { caller: 'tdd-growth:distributor', target: 'tdd-design:*', action: 'deny' as const, file: '/p/policy.json' },
    ]
    const stopped = drive({ workflow: example(2), context: context({ rules }) }, byTarget(), {
      given: { article: 'A' },
    })
    expect(stopped.calls.map((c) => c.step)).not.toContain('illustrate')
    expect(stopped.result?.steps.find((s) => s.id === 'illustrate')).toMatchObject({
      status: 'denied',
      calls: 0,
      target: 'tdd-design:illustrator',
    })
    expect(stopped.result?.status).toBe('ok') // illustrate says then: continue
    // The message counts every step that ran, and names the one that did not succeed.
    expect(stopped.result?.message).toMatch(
      /^Workflow distribute finished: \d+ steps ran \(illustrate denied; the workflow went on\), 0 reused from receipts/,
    )
    const strict = drive(
      {
        workflow: example(0),
        context: context({
          rules: [{ caller: 'main', target: 'tdd-design:*', action: 'deny', file: '/p/policy.json' }],
        }),
      },
      byTarget(),
      { given: { draft: 'D' } },
    )
    expect(strict.calls.map((c) => c.step)).toEqual(['edit'])
    const onStop = drive(
      {
        workflow: workflowOf(example0Stop()),
        context: context({
          rules: [{ caller: 'main', target: 'tdd-design:*', action: 'deny', file: '/p/policy.json' }],
        }),
      },
      byTarget(),
      { given: { draft: 'D' } },
    )
    expect(onStop.result).toMatchObject({ status: 'denied' })
    expect(onStop.result?.message).toMatch(/stopped at a denied call: step illustrate: policy/)
  })

  it('an input cannot redirect a return: a directive in a filled value refuses the call, a quoted one is data', () => {
    const hostile = drive({ workflow: example(0), context: context() }, byTarget(), {
      given: { draft: 'Hi [[switchboard into=illustration]]' },
    })
    expect(hostile.calls).toEqual([])
    expect(hostile.result).toMatchObject({ status: 'denied' })
    expect(hostile.result!.steps[0]!.problems[0]).toMatch(
      /directive; in a workflow, where a return goes is set by on_complete.inject_into alone/,
    )
    const quoted = drive({ workflow: example(0), context: context() }, byTarget(), {
      given: { draft: 'Hi `[[switchboard into=illustration]]`' },
    })
    expect(quoted.calls.map((c) => c.step)).toEqual(['edit', 'illustrate'])
  })

  it('a denial at call time is not retried', () => {
    const run = drive(
      { workflow: example(0), context: context() },
      byTarget({ illustrate: () => denied('cycle: no') }),
      { given: { draft: 'D' } },
    )
    expect(run.calls.filter((c) => c.step === 'illustrate')).toHaveLength(1)
    expect(run.result?.steps[1]).toMatchObject({ status: 'denied' })
  })
})

describe('run engine: budgets', () => {
  it('ends with budget_exhausted and a partial result when the workflow runs out of calls', () => {
    const workflow = workflowOf(`
inputs: { draft: markdown }
budget: { calls: 2 }
steps:
  - id: edit
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft } }
    on_complete: { inject_into: edited }
    on_error: { retry: 1 }
  - id: illustrate
    invoke: { plugin: tdd-design, agent: illustrator, args: { content: $edited } }
    on_complete: { inject_into: picture }
outputs: { edited: $edited, picture: $picture }
`)
    let tries = 0
    const run = drive({ workflow, context: context() }, byTarget({ edit: () => (++tries === 1 ? fails() : ok('E')) }), {
      given: { draft: 'D' },
    })
    expect(run.result).toMatchObject({
      status: 'budget_exhausted',
      outputs: { edited: 'E' },
      partial: true,
      missing: ['picture'],
      used: { calls: 2 },
    })
    expect(run.result?.steps.map((s) => s.status)).toEqual(['ok', 'budget_exhausted'])
    expect(run.result?.message).toContain("workflow's budget of 2 calls is spent")
  })

  it('a step budget narrows: its time runs out between retries on the clock given', () => {
    const workflow = workflowOf(`
inputs: { draft: markdown }
steps:
  - id: edit
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft } }
    on_error: { retry: { count: 3, backoff: 20s } }
    budget: { time: 30s }
`)
    const run = drive({ workflow, context: context() }, byTarget({ edit: () => fails('no', 1000) }), {
      given: { draft: 'D' },
    })
    expect(run.calls).toHaveLength(2) // 0s, 21s; the next would start at 62s
    expect(run.result).toMatchObject({ status: 'budget_exhausted' })
    expect(run.result?.message).toContain("step edit's time budget (30000 ms) is spent")
  })

  it('counts turns the runtime reports', () => {
    const workflow = workflowOf(`
inputs: { draft: markdown }
budget: { turns: 3 }
steps:
  - { id: a, invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft } } }
  - { id: b, invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft } } }
`)
    const run = drive({ workflow, context: context() }, () => ({ outcome: { status: 'ok', value: 'x', turns: 3 } }), {
      given: { draft: 'D' },
    })
    expect(run.result).toMatchObject({ status: 'budget_exhausted', used: { turns: 3, calls: 1 } })
  })
})

// Found by review: a step refused before any call was recorded under the caller the workflow names, so a
// plugin's workflow naming its own agent had that agent's name on the calls the person's run was refused.
describe('run engine: steps refused before any call', () => {
  it('are recorded as calls of the loop that runs the workflow', () => {
    const rules = [{ caller: '*', target: 'tdd-design:*', action: 'deny' as const, file: '/p/policy.json' }]
    const run = drive({ workflow: example(2), context: context({ rules }) }, byTarget(), { given: { article: 'A' } })
    const named = { ...example(2), caller: 'tdd-growth:distributor' }
    for (const [type, caller] of [
      [null, 'main'],
      ['tdd-tech:tech-writer', 'tdd-tech:tech-writer'],
    ] as const) {
      const records = refusalRecords(
        run.result!,
        named,
        { type, parent: null, callerAgent: null },
        examplesRegistry(),
        1,
      )
      expect(records).toMatchObject([{ target: 'tdd-design:illustrator', caller, status: 'denied' }])
      // An id no made call has (`<run>-<step>-<attempt>`): a refused step `ed-1` took step `ed`'s first call's (review).
      expect(records[0]).toMatchObject({ id: expect.stringMatching(/\.refused$/) })
    }
  })
})

describe('run engine: receipts', () => {
  const workflow = example(2)
  const first = () => drive({ workflow, context: context() }, byTarget(), { given: { article: 'A' } })

  it('a second run with the same inputs calls nothing and restores every slot', () => {
    const again = drive({ workflow, context: context() }, byTarget(), {
      given: { article: 'A' },
      receipts: first().receipts,
    })
    expect(again.calls).toEqual([])
    expect(again.result?.status).toBe('ok')
    expect(again.result?.steps.every((s) => s.status === 'reused')).toBe(true)
    expect(again.restored.map((r) => r.into).sort()).toEqual([
      'edited_article',
      'illustration',
      'launch_brief',
      'seo_report',
    ])
    expect(again.result?.outputs).toEqual(first().result?.outputs)
  })

  it('reuses a receipt only for a target whoever runs the workflow may call; the rest are called again', () => {
    const receipts = first().receipts
    // The loop that runs it now may not call the illustrator (say, another plugin's agent).
    const asked: string[] = []
    const again = drive(
      {
        workflow,
        context: context(),
        mayReuse: (target, kind) => {
          asked.push(`${target} ${kind}`)
          return target !== 'tdd-design:illustrator'
        },
      },
      byTarget(),
      { given: { article: 'A' }, receipts },
    )
    expect(again.calls.map((c) => c.step)).toEqual(['illustrate'])
    expect(again.result?.steps.find((s) => s.id === 'illustrate')?.status).toBe('ok')
    expect(asked).toContain('tdd-design:illustrator agent')
  })

  // Found by review: a step's receipt, made where it stored nothing (a call carrying a secret may be made so),
  // was restored into the slot the workflow named after an edit, with no guard to judge the call again.
  it('does not restore a receipt into a slot its step did not store into when the receipt was made', () => {
    const storing = (into: string) =>
      workflowOf(`inputs: { text: text }
steps:
  - id: edit
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.text } }
${into}`)
    const run1 = drive({ workflow: storing(''), context: context() }, byTarget(), { given: { text: 't' } })
    const run2 = drive(
      { workflow: storing('    on_complete: { inject_into: leaked }\n'), context: context() },
      byTarget(),
      { given: { text: 't' }, receipts: run1.receipts },
    )
    expect(run2.calls.map((c) => c.step)).toEqual(['edit']) // called again, so judged again
    expect(run2.restored).toEqual([])
    const run3 = drive({ workflow: storing(''), context: context() }, byTarget(), {
      given: { text: 't' },
      receipts: run1.receipts,
    })
    expect(run3.calls).toEqual([]) // a step that stores nothing still reuses its receipt
  })

  // Found by review: asked as the main target's kind, a fallback command's receipt was never reused.
  it("asks whether a fallback's receipt may be reused as the fallback's own kind", () => {
    const withFallback = workflowOf(`inputs: { text: text }
steps:
  - id: edit
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.text } }
    on_complete: { inject_into: edited }
    on_error: { fallback: { plugin: tdd-editor, command: copy-edit, args: { file: $inputs.text } } }
`)
    const respond = (c: RunCall): Scripted => (c.target === 'tdd-editor:editor' ? fails() : ok('from the fallback'))
    const asked: string[] = []
    const mayReuse = (target: string, kind: string) => {
      asked.push(`${target} ${kind}`)
      return true
    }
    const run1 = drive({ workflow: withFallback, context: context(), mayReuse }, respond, { given: { text: 't' } })
    const run2 = drive({ workflow: withFallback, context: context(), mayReuse }, respond, {
      given: { text: 't' },
      receipts: run1.receipts,
    })
    expect(asked).toEqual(['tdd-editor:copy-edit command'])
    expect(run2.calls).toEqual([])
  })

  // Found by review: with its main target refused before any call, the fallback's value got no receipt.
  it("keeps the fallback's value where the main target is refused, until the main may be called again", () => {
    const withFallback = workflowOf(`inputs: { text: text }
steps:
  - id: edit
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.text } }
    on_complete: { inject_into: edited }
    on_error: { fallback: { plugin: tdd-editor, command: copy-edit, args: { file: $inputs.text } } }
`)
    const rules = [{ caller: '*', target: 'tdd-editor:editor', action: 'deny' as const, file: '/p/policy.json' }]
    const refused = context({ rules })
    const run1 = drive({ workflow: withFallback, context: refused }, byTarget(), { given: { text: 't' } })
    expect(run1.calls.map((c) => c.target)).toEqual(['tdd-editor:copy-edit'])
    expect(run1.result?.steps[0]).toMatchObject({ status: 'ok', fallback: true })
    expect(run1.receipts.edit?.producedBy).toBe('tdd-editor:copy-edit')
    const run2 = drive({ workflow: withFallback, context: refused }, byTarget(), {
      given: { text: 't' },
      receipts: run1.receipts,
    })
    expect(run2.calls).toEqual([])
    expect(run2.result?.steps[0]?.status).toBe('reused')
    expect(run2.result?.outputs ?? {}).toEqual(run1.result?.outputs ?? {})
    // Another input, or the main target allowed again: the step runs (the main, where it may now be called).
    const changed = drive({ workflow: withFallback, context: refused }, byTarget(), {
      given: { text: 'u' },
      receipts: run1.receipts,
    })
    expect(changed.calls.map((c) => c.target)).toEqual(['tdd-editor:copy-edit'])
    const allowed = drive({ workflow: withFallback, context: context() }, byTarget(), {
      given: { text: 't' },
      receipts: run1.receipts,
    })
    expect(allowed.calls.map((c) => c.target)).toEqual(['tdd-editor:editor'])
  })

  it('a changed input re-runs exactly the steps whose key changed', () => {
    const receipts = first().receipts
    // The editor's answer does not depend on the input here, so summarize (which reads only results) keeps its key.
    const changed = drive({ workflow, context: context() }, byTarget({ 'tdd-editor:editor': () => ok('same edit') }), {
      given: { article: 'B' },
      receipts: drive({ workflow, context: context() }, byTarget({ 'tdd-editor:editor': () => ok('same edit') }), {
        given: { article: 'A' },
      }).receipts,
    })
    expect(changed.calls.map((c) => c.step).sort()).toEqual(['edit', 'illustrate', 'seo'])
    const downstream = drive({ workflow, context: context() }, byTarget(), { given: { article: 'B' }, receipts })
    expect(downstream.calls.map((c) => c.step).sort()).toEqual(['edit', 'illustrate', 'seo', 'summarize'])
  })

  it('a changed target version re-runs that step (and those reading a changed result), not the others', () => {
    const receipts = first().receipts
    const snapshot = examplesRegistry()
    const bumped = {
      ...snapshot,
      plugins: snapshot.plugins.map((p) => (p.name === 'tdd-design' ? { ...p, version: '9.9.9' } : p)),
    }
    const run = drive({ workflow, context: { ...context(), snapshot: bumped } }, byTarget(), {
      given: { article: 'A' },
      receipts,
    })
    expect(run.calls.map((c) => c.step)).toEqual(['illustrate']) // it answered the same, so summarize keeps its key
  })

  it('after a kill mid-wave, whatever order the steps finished in, only the unfinished ones run again', () => {
    const timing = byTarget({
      seo: () => ok({ score: 70, title: 'T', keywords: ['k'] }, 100),
      illustrate: () => ok(ILLUSTRATION, 200),
      edit: () => ok('Edited: A', 5000),
    })
    const killed = drive({ workflow, context: context() }, timing, { given: { article: 'A' }, killAfter: 2 })
    expect(killed.result).toBeUndefined()
    expect(Object.keys(killed.receipts).sort()).toEqual(['illustrate', 'seo']) // finished second and first
    const resumed = drive({ workflow, context: context() }, timing, {
      given: { article: 'A' },
      receipts: killed.receipts,
    })
    expect(resumed.calls.map((c) => c.step)).toEqual(['edit', 'summarize'])
    expect(resumed.restored.map((r) => r.into).sort()).toEqual(['illustration', 'seo_report'])
    expect(resumed.result?.status).toBe('ok')
  })

  it('fresh ignores the receipts; a torn or foreign receipt is no receipt', () => {
    const receipts = first().receipts
    expect(
      drive({ workflow, context: context() }, byTarget(), { given: { article: 'A' }, receipts, fresh: true }).calls,
    ).toHaveLength(4)
    const foreign = { ...receipts, seo: { ...receipts.seo!, key: { ...receipts.seo!.key, inputs: 'forged' } } }
    expect(
      drive({ workflow, context: context() }, byTarget(), { given: { article: 'A' }, receipts: foreign }).calls.map(
        (c) => c.step,
      ),
    ).toEqual(['seo'])
  })

  it('a step now denied is not reused from its receipt', () => {
    const receipts = first().receipts
    const rules = [
      { caller: 'tdd-growth:distributor', target: 'tdd-design:*', action: 'deny' as const, file: '/p/policy.json' },
    ]
    const run = drive({ workflow, context: context({ rules }) }, byTarget(), { given: { article: 'A' }, receipts })
    expect(run.result?.steps.find((s) => s.id === 'illustrate')?.status).toBe('denied')
  })
})

function example0Stop(): string {
  return `
inputs: { draft: markdown }
steps:
  - id: edit
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft } }
    on_complete: { inject_into: edited }
  - id: illustrate
    invoke: { plugin: tdd-design, agent: illustrator, args: { content: $edited } }
  - id: after
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $edited } }
`
}

describe('where receipts are kept', () => {
  it('gives every plugin workflow a folder of its own, even when plugin and name split the same text differently', async () => {
    const { workflowKey, receiptsFolder } = await import('../../src/workflow/core.ts')
    const a = workflowKey({ plugin: 'acme-docs', name: 'publish' })
    const b = workflowKey({ plugin: 'acme', name: 'docs-publish' })
    expect(a).toMatch(/^plugin-acme-docs\.publish-[0-9a-f]{8}$/)
    expect(a).not.toBe(b)
    // Characters a folder name cannot hold are replaced, and the exact names still tell them apart.
    expect(workflowKey({ plugin: 'a/b', name: 'x' })).toMatch(/^plugin-a_b\.x-/)
    expect(workflowKey({ plugin: 'a/b', name: 'x' })).not.toBe(workflowKey({ plugin: 'a_b', name: 'x' }))
    expect(receiptsFolder('/data', '/home/u/proj', a)).toMatch(
      /^\/data\/workflow-runs\/proj-[0-9a-f]{12}\/plugin-acme-docs\.publish-/,
    )
  })
})

describe('a when that cannot be decided (a pattern the runtime stopped)', () => {
  // The engine is given the runtime's pattern test; a test that throws stands for one that ran out of time.
  const stopped = () => {
    throw new Error('took longer than 500 ms on this value and was stopped')
  }
  const flow = (onError: string) =>
    workflowOf(`inputs: { text: markdown }
steps:
  - id: edit
    when: { input: text, matches: "^([a-z]|[a-m])+$" }
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.text } }
    on_error: ${onError}
  - id: write
    invoke: { plugin: tdd-tech, agent: tech-writer, args: { topic: kites } }
`)

  it('fails its step with the reason, and starts neither a retry nor the fallback written for a failed call', () => {
    const run = drive(
      {
        workflow: flow('{ retry: 2, fallback: { plugin: tdd-tech, agent: tech-writer, args: { topic: x } } }'),
        context: context(),
        testPattern: stopped,
      },
      byTarget(),
      { given: { text: 'aaa!' } },
    )
    expect(run.calls).toEqual([])
    expect(run.result).toMatchObject({ status: 'failed', message: expect.stringContaining('could not be decided') })
    expect(run.result!.steps.find((s) => s.id === 'edit')).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('took longer than 500 ms'),
    })
  })

  it('lets the run go on where on_error says continue', () => {
    const run = drive({ workflow: flow('continue'), context: context(), testPattern: stopped }, byTarget(), {
      given: { text: 'aaa!' },
    })
    expect(run.calls.map((c) => c.step)).toEqual(['write'])
    expect(run.result!.steps.map((s) => [s.id, s.status])).toEqual([
      ['edit', 'failed'],
      ['write', 'ok'],
    ])
  })
})

// Found by review: a receipt's key held the run's own slots only, so a step reading a session slot the user
// changed since ($STYLE, formal then casual) reused its old answer.
describe('run engine: a step reading a session slot', () => {
  it('is called again once that slot was written anew, and reused while it stands', () => {
    const workflow = workflowOf(`
inputs: { draft: markdown }
steps:
  - id: edit
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft, style: $STYLE } }
`)
    const runWith = (written: number, receipts = {}) =>
      drive({ workflow, context: context() }, byTarget(), {
        given: { draft: 'D' },
        sessionSlots: { STYLE: written },
        receipts,
      })
    const first = runWith(1)
    expect(first.calls).toHaveLength(1)
    expect(runWith(1, first.receipts).calls).toHaveLength(0)
    expect(runWith(2, first.receipts).calls).toHaveLength(1)
  })
})

// Found by review: a receipt restored into a slot made secret since threw out of the whole run, with a message
// naming nothing. No receipt is restored into a secret slot: the step is called, and the guard says why.
describe('run engine: a step whose slot is now secret', () => {
  it('is called again rather than restored from its receipt', () => {
    const workflow = workflowOf(`
inputs: { draft: markdown }
steps:
  - id: edit
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft } }
    on_complete: { inject_into: edited }
`)
    const runWith = (options: { sessionSlots?: Record<string, number>; secretSlots?: string[] }, receipts = {}) =>
      drive({ workflow, context: context() }, byTarget(), { given: { draft: 'D' }, receipts, ...options })
    const first = runWith({})
    expect(runWith({ sessionSlots: { edited: 5 } }, first.receipts).calls).toHaveLength(0)
    const again = runWith({ sessionSlots: { edited: 5 }, secretSlots: ['edited'] }, first.receipts)
    expect(again.calls).toHaveLength(1)
    expect(again.restored).toEqual([])
  })
})

// Found by review: a call that carries a secret may quote it in its return, which no slot keeps; a receipt kept it,
// past the session and a `context clear`. A step that reads a secret slot leaves no receipt, and runs each time.
describe('run engine: a step that reads a secret slot', () => {
  it('leaves no receipt of its return, so nothing of the secret outlives the session', () => {
    const workflow = workflowOf(`
steps:
  - id: call
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $api_key } }
  - id: plain
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: public } }
`)
    const runWith = (secretSlots: string[], receipts = {}) =>
      drive({ workflow, context: context() }, byTarget(), { sessionSlots: { api_key: 5 }, secretSlots, receipts })
    const first = runWith(['api_key'])
    expect(first.result?.status).toBe('ok')
    expect(Object.keys(first.receipts)).toEqual(['plain'])
    expect(runWith(['api_key'], first.receipts).calls.map((c) => c.step)).toEqual(['call'])
    // Not secret: its receipt is kept as any other's.
    expect(Object.keys(runWith([]).receipts).sort()).toEqual(['call', 'plain'])
  })
})
