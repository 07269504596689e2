// workflow check: each problem the issue names, from a fixture that looks like a real workflow over
// the example plugins, with its code, the step it is in and the fix in the message.
import { routeCapability } from '../../src/resolve/index.ts'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRegistry } from '../../src/registry/index.ts'
import { checkWorkflow, parseWorkflowText } from '../../src/workflow/index.ts'
import { testdir } from '../helpers/testdir.ts'
import {
  checkFile,
  context,
  EXAMPLE_WORKFLOWS,
  policy,
  WORKFLOW_FIXTURES,
  workflowOf,
  writerStep,
} from '../helpers/workflows.ts'

const fixture = (name: string) => join(WORKFLOW_FIXTURES, name)
const errors = (diagnostics: ReturnType<typeof checkFile>) => diagnostics.filter((d) => d.severity === 'error')

describe('workflow check', () => {
  it.each(EXAMPLE_WORKFLOWS)('passes the shipped example %s with no findings', (file) => {
    expect(checkFile(file)).toEqual([])
  })

  it('reports a slot read before the step that writes it, naming both steps', () => {
    expect(errors(checkFile(fixture('slot-before-write.yaml')))).toEqual([
      expect.objectContaining({
        code: 'WORKFLOW_SLOT_READ_BEFORE_WRITE',
        path: 'steps.illustrate.invoke.args.content',
        message: expect.stringContaining(
          '$edited_article is read before step "edit" writes it (that step runs later). Move this step after "edit"',
        ),
      }),
    ])
  })

  it('reports a missing target with what the plugin has', () => {
    expect(errors(checkFile(fixture('missing-target.yaml')))).toEqual([
      expect.objectContaining({
        code: 'WORKFLOW_TARGET_MISSING',
        path: 'steps.illustrate.invoke',
        message:
          'missing: plugin "tdd-design" has no agent "tdd-design:painter". It has: tdd-design:illustrator, tdd-design:palette.',
      }),
    ])
  })

  it("reports a target the caller may not call, with the guard's own reason", () => {
    expect(errors(checkFile(fixture('private-target.yaml')))).toEqual([
      expect.objectContaining({
        code: 'WORKFLOW_TARGET_NOT_CALLABLE',
        path: 'steps.colours.invoke',
        message: expect.stringMatching(
          /^private: tdd-design:palette is private to plugin "tdd-design"; tdd-editor:editor \(plugin "tdd-editor"\) may not call it/,
        ),
      }),
    ])
    // The same call made by the user (caller main) is allowed, as the runtime allows it.
    const asMain = workflowOf(
      'inputs: { subject: string }\nsteps:\n  - id: colours\n    invoke: { plugin: tdd-design, agent: palette, args: { subject: $inputs.subject } }\n',
    )
    expect(checkWorkflow(asMain, context())).toEqual([])
  })

  it('reports a policy rule that denies the caller, as the guard would', () => {
    const workflow = workflowOf(
      'caller: tdd-tech:tech-writer\ninputs: { draft: markdown }\nsteps:\n  - id: edit\n    invoke: { capability: copy-editing@^1, args: { draft: $inputs.draft } }\n',
    )
    expect(checkWorkflow(workflow, context())).toEqual([])
    const denied = checkWorkflow(
      workflow,
      context({
        rules: [
          {
            caller: 'tdd-tech:*',
            target: 'tdd-editor:*',
            action: 'deny',
            file: '/home/u/.claude/switchboard/policy.json',
          },
        ],
      }),
    )
    expect(denied).toEqual([
      expect.objectContaining({
        code: 'WORKFLOW_TARGET_NOT_CALLABLE',
        path: 'steps.edit.invoke',
        message: expect.stringContaining('denies tdd-tech:* -> tdd-editor:*'),
      }),
    ])
  })

  // Found by review: docs/patterns.md's capability fallback routed back to the step's own editor, unsaid.
  it("warns where a fallback resolves to the step's own target", () => {
    const same = workflowOf(`inputs: { draft: markdown }
steps:
  - id: edit
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft } }
    on_error: { fallback: { capability: copy-editing@^1 } }
`)
    expect(checkWorkflow(same, context())).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'WORKFLOW_FALLBACK_SAME_TARGET',
        path: 'steps.edit.on_error.fallback',
        message: expect.stringMatching(/^the fallback resolves to tdd-editor:editor, the step's own target \(/),
      }),
    ])
  })

  it('reports a cycle: a step that calls back into the caller', () => {
    expect(errors(checkFile(fixture('cycle.yaml')))).toEqual([
      expect.objectContaining({
        code: 'WORKFLOW_CYCLE',
        path: 'steps.again.invoke',
        // Said for a workflow, not as the guard says it to a model (found by a newcomer).
        message:
          "cycle: a step may not call the workflow's caller, tdd-growth:distributor, which is already running when the workflow runs as it. Call another component, or write caller: main.",
      }),
    ])
  })

  it('warns when a target declares calls that lead back to the caller', () => {
    const agent = (name: string, calls: string) =>
      `---\nname: ${name}\ndescription: ${name}\ntools: Agent\norchestration:\n  calls: [${calls}]\n---\nDo it.\n`
    const root = testdir({
      'ping/.claude-plugin/plugin.json': '{"name": "ping"}',
      'ping/agents/writer.md': agent('writer', 'pong:reviewer'),
      'pong/.claude-plugin/plugin.json': '{"name": "pong"}',
      'pong/agents/reviewer.md': agent('reviewer', 'ping:writer'),
    })
    const snapshot = buildRegistry({
      cwd: root,
      env: { HOME: '/nonexistent' },
      installed: false,
      pluginDirs: [join(root, 'ping'), join(root, 'pong')],
    })
    const workflow = workflowOf(
      'caller: ping:writer\nsteps:\n  - id: review\n    invoke: { plugin: pong, agent: reviewer }\n',
    )
    expect(checkWorkflow(workflow, { snapshot, policy: policy(), route: routeCapability })).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'WORKFLOW_CYCLE_POSSIBLE',
        path: 'steps.review.invoke',
        message: expect.stringContaining('ping:writer -> pong:reviewer -> ping:writer'),
      }),
    ])
  })

  it('reports mismatched contracts between the writer of a slot and its reader', () => {
    expect(errors(checkFile(fixture('contract-mismatch.yaml')))).toEqual([
      expect.objectContaining({
        code: 'WORKFLOW_CONTRACT_MISMATCH',
        path: 'steps.summarize.invoke.args.seo',
        message:
          'seo: tdd-growth:summarizer expects an object, but $edited_article (the output of tdd-editor:editor, step "edit") is markdown. Pass a value of that type, or change one of the contracts.',
      }),
    ])
  })

  it('reports missing required arguments, unknown ones on a closed contract and literal values outside a one-of', () => {
    const workflow = workflowOf(
      'steps:\n  - id: pic\n    invoke: { plugin: tdd-design, agent: illustrator, args: { style: watercolour, stlye: flat } }\n',
    )
    expect(checkWorkflow(workflow, context()).map((d) => [d.severity, d.code, d.path, d.message])).toEqual([
      [
        'error',
        'WORKFLOW_CONTRACT_MISMATCH',
        'steps.pic.invoke.args',
        'tdd-design:illustrator needs content (its input contract: content, style?). Add content: ... under args.',
      ],
      [
        'error',
        'WORKFLOW_CONTRACT_MISMATCH',
        'steps.pic.invoke.args.style',
        'style: tdd-design:illustrator expects one of flat, sketch, not "watercolour". Pass one of those, or change its contract.',
      ],
      [
        'warning',
        'WORKFLOW_ARG_UNKNOWN',
        'steps.pic.invoke.args.stlye',
        'tdd-design:illustrator has no input "stlye" (its input contract: content, style?). It is passed on anyway, since the contract is open; check the name.',
      ],
    ])
  })

  it('reports an over-budget plan: a step above the workflow, and steps that add up past it', () => {
    expect(errors(checkFile(fixture('over-budget.yaml'))).map((d) => [d.path, d.message])).toEqual([
      [
        'steps.illustrate.budget.time',
        "the step's time budget (10m) is above the workflow's (5m); a step can only narrow it. Lower the step's, or raise the workflow's.",
      ],
      [
        'budget.calls',
        "the steps may use 6 of calls together (each step counts its budget.calls, else one per attempt), over the workflow's 3. Raise the workflow's budget.calls, or narrow the steps'.",
      ],
      [
        'budget.time',
        "the steps may use 10m of time together (each wave's slowest step), over the workflow's 5m. Raise the workflow's budget.time, or narrow the steps'.",
      ],
    ])
  })

  it('reports a slot written by a sibling in the same parallel group, and two siblings writing one slot', () => {
    const workflow = workflowOf(`inputs: { article: markdown }
steps:
  - id: fan_out
    parallel:
      - id: edit
        invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.article } }
        on_complete: { inject_into: edited }
      - id: pic
        invoke: { plugin: tdd-design, agent: illustrator, args: { content: $edited } }
        on_complete: { inject_into: edited }
`)
    expect(checkWorkflow(workflow, context()).map((d) => [d.code, d.path])).toEqual([
      ['WORKFLOW_SLOT_RACE', 'steps.fan_out.parallel.pic.invoke.args.content'],
      ['WORKFLOW_SLOT_RACE', 'steps.fan_out.parallel.pic.on_complete.inject_into'],
    ])
  })

  // Found by review: with an earlier wave's value there, the read passed, and a rerun reused a receipt made
  // from the old value while the call was filled with the new one.
  it('reports a read racing a sibling that writes the slot again, though an earlier step wrote it', () => {
    const workflow = workflowOf(`inputs: { text: text }
steps:
  - id: first
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.text } }
    on_complete: { inject_into: article }
  - id: group
    parallel:
      - id: rewrite
        invoke: { plugin: tdd-editor, agent: editor, args: { draft: "rewrite it" } }
        on_complete: { inject_into: article }
      - id: picture
        invoke: { plugin: tdd-design, agent: illustrator, args: { content: $article } }
        on_complete: { inject_into: pic }
`)
    const race = checkWorkflow(workflow, context()).find((d) => d.code === 'WORKFLOW_SLOT_RACE')
    expect(race).toMatchObject({ path: 'steps.group.parallel.picture.invoke.args.content' })
    expect(race?.message).toContain('so this step may read the value before or after it')
  })

  it('warns about a slot that may be unset, unless a condition or an optional field covers it', () => {
    const base = `inputs: { article: markdown }
steps:
  - id: seo
    invoke: { plugin: tdd-growth, command: seo, args: { content: $inputs.article } }
    on_complete: { inject_into: seo_report }
    on_error: continue
  - id: pic
    invoke: { plugin: tdd-design, agent: illustrator, args: { content: $seo_report } }
`
    expect(checkWorkflow(workflowOf(base), context()).map((d) => [d.severity, d.code, d.path])).toEqual([
      ['warning', 'WORKFLOW_SLOT_MAYBE_UNSET', 'steps.pic.invoke.args.content'],
    ])
    expect(checkWorkflow(workflowOf(`${base}    when: { slot: seo_report, exists: true }\n`), context())).toEqual([])
    // A condition reads an unset slot safely, and one that holds only for a set slot guards the call.
    for (const test of ['equals: ok', 'matches: "^ok"', 'field: score, equals: 3'])
      expect(checkWorkflow(workflowOf(`${base}    when: { slot: seo_report, ${test} }\n`), context())).toEqual([])
    // A when that does not test the slot: the fix cannot be a second when.
    const otherWhen = checkWorkflow(workflowOf(`${base}    when: { input: article, exists: true }\n`), context())
    expect(otherWhen.map((d) => [d.code, d.path])).toEqual([
      ['WORKFLOW_SLOT_MAYBE_UNSET', 'steps.pic.invoke.args.content'],
    ])
    expect(otherWhen[0]!.message).toContain(
      "Make this step's when test $seo_report itself (exists: true, equals or matches)",
    )
    // not_equals holds for an unset slot: it guards nothing.
    expect(
      checkWorkflow(workflowOf(`${base}    when: { slot: seo_report, not_equals: x }\n`), context()).map((d) => d.code),
    ).toEqual(['WORKFLOW_SLOT_MAYBE_UNSET'])
    const optional = base.replace(
      'plugin: tdd-design, agent: illustrator, args: { content: $seo_report }',
      'plugin: tdd-growth, agent: summarizer, args: { article: $inputs.article, seo: $seo_report }',
    )
    expect(checkWorkflow(workflowOf(optional), context())).toEqual([])
  })

  it('reports a slot no step writes, but leaves shell-style $NAMES alone', () => {
    const workflow = workflowOf(
      'steps:\n  - id: pic\n    invoke: { plugin: tdd-design, agent: illustrator, args: { content: "$draft from $HOME" } }\n',
    )
    expect(checkWorkflow(workflow, context()).map((d) => [d.code, d.path, d.message])).toEqual([
      [
        'WORKFLOW_SLOT_NEVER_WRITTEN',
        'steps.pic.invoke.args.content',
        'no step writes $draft. Add on_complete: { inject_into: draft } to the step that produces it, declare an input and write $inputs.draft, or write $$draft for the literal text.',
      ],
    ])
    // One typo away from a slot a step writes: named, with its writer.
    const typo = workflowOf(
      'steps:\n  - id: write\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: x } }\n    on_complete: { inject_into: draft_txt }\n  - id: pic\n    invoke: { plugin: tdd-design, agent: illustrator, args: { content: $draft_text } }\n',
    )
    expect(checkWorkflow(typo, context()).find((d) => d.code === 'WORKFLOW_SLOT_NEVER_WRITTEN')?.message).toMatch(
      /^no step writes \$draft_text \(did you mean \$draft_txt, which step "write" writes\?\)\. /,
    )
    // `$inptus.note` is a slot named inptus to the parser; the input it meant is named (found by a newcomer).
    const input = workflowOf(
      'inputs:\n  note: markdown\nsteps:\n  - id: pic\n    invoke: { plugin: tdd-design, agent: illustrator, args: { content: $inptus.note } }\n',
    )
    expect(checkWorkflow(input, context()).find((d) => d.code === 'WORKFLOW_SLOT_NEVER_WRITTEN')?.message).toMatch(
      /^no step writes \$inptus \(did you mean \$inputs\.note\?\)\. /,
    )
  })

  // What compile refuses and the planner refuses at run time (call-segments.ts): said when the author checks.
  it('warns where a prompt or argument leaves a fence open around a value or past its end', () => {
    const workflow = workflowOf(
      writerStep('Format code like this:\n```', '{ topic: demo, notes: "```\\nquoted $inputs.notes\\n```" }'),
    )
    expect(checkWorkflow(workflow, context()).map((d) => [d.code, d.severity, d.path])).toEqual([
      ['WORKFLOW_QUOTE_OPEN', 'warning', 'steps.draft.invoke.prompt'],
    ])
  })

  it('reports a component named with the wrong kind, and a caller that is not an agent', () => {
    const wrongKind = workflowOf(
      'steps:\n  - id: seo\n    invoke: { plugin: tdd-growth, agent: seo, args: { content: x } }\n',
    )
    expect(checkWorkflow(wrongKind, context()).map((d) => [d.code, d.message])).toEqual([
      ['WORKFLOW_KIND_MISMATCH', 'tdd-growth:seo is a command, not an agent. Write command: seo.'],
    ])
    const noCaller = workflowOf(
      'caller: tdd-growth:nobody\nsteps:\n  - id: seo\n    invoke: { plugin: tdd-growth, command: seo, args: { content: x } }\n',
    )
    expect(checkWorkflow(noCaller, context()).map((d) => [d.code, d.path])).toEqual([
      ['WORKFLOW_CALLER_MISSING', 'caller'],
    ])
  })

  it('checks a fallback as a call of its own', () => {
    const workflow = workflowOf(
      'caller: tdd-growth:distributor\ninputs: { draft: markdown }\nsteps:\n  - id: edit\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft } }\n    on_error: { fallback: { plugin: tdd-tech, agent: tech-writer } }\n',
    )
    expect(checkWorkflow(workflow, context()).map((d) => [d.code, d.path])).toEqual([
      ['WORKFLOW_TARGET_NOT_CALLABLE', 'steps.edit.on_error.fallback'],
    ])
  })
})

describe("workflow check: a plugin's own workflow", () => {
  it("may not act as another plugin's agent, borrowing its permissions", () => {
    const yaml =
      'caller: tdd-growth:distributor\ninputs: { draft: markdown }\nsteps:\n  - id: edit\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft } }\n'
    const shipped = parseWorkflowText(yaml, '/plugins/evil/workflows/borrow.yaml', 'evil').value!
    expect(checkWorkflow(shipped, context()).map((d) => [d.code, d.path])).toEqual([
      ['WORKFLOW_CALLER_BORROWED', 'caller'],
    ])
    // The same text shipped by tdd-growth itself, or kept by the user outside any plugin, is fine.
    expect(
      checkWorkflow(parseWorkflowText(yaml, '/p/tdd-growth/workflows/x.yaml', 'tdd-growth').value!, context()),
    ).toEqual([])
    expect(checkWorkflow(parseWorkflowText(yaml, '/home/u/x.yaml').value!, context())).toEqual([])
  })
})
