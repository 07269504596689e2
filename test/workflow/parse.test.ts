// Parsing a workflow file: every malformed input gives one clear diagnostic naming the file, the
// step (by id) and the field, with the fix; a good file gives the normalised model.
import { describe, expect, it } from 'vitest'
import {
  parseWorkflow,
  parseWorkflowText,
  resolveInputs,
  substituteInputs,
  workflowReferences,
} from '../../src/workflow/index.ts'

const FILE = '/w/flows/illustrate.yaml'
const problems = (yaml: string) =>
  parseWorkflowText(yaml, FILE).diagnostics.map((d) => [d.code, d.path ?? null, d.message])
const step = (body: string) => `inputs: { draft: markdown }\nsteps:\n  - id: edit\n${body}`
const CALL = '    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft } }\n'

describe('parseWorkflow', () => {
  it('normalises a workflow: name from the file, caller main, waves, retries, fallback args, budgets in numbers', () => {
    const read = parseWorkflowText(
      `inputs:
  draft: markdown
  style: { type: flat|sketch, default: flat }
budget: { calls: 6, time: 10m }
steps:
  - id: edit
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft } }
    on_complete: { inject_into: edited }
    on_error: { retry: { count: 2, backoff: 5s }, fallback: { capability: copy-editing@^1 } }
  - id: fan_out
    when: { slot: edited, exists: true }
    max_parallel: 1
    parallel:
      - id: pic
        invoke: { plugin: tdd-design, agent: illustrator, args: { content: $edited, style: $inputs.style } }
        budget: { calls: 2, time: 90 }
      - id: seo
        invoke: { plugin: tdd-growth, command: seo, args: { content: $edited } }
        on_error: continue
`,
      FILE,
    )
    expect(read.diagnostics).toEqual([])
    const workflow = read.value!
    expect(workflow).toMatchObject({
      name: 'illustrate',
      caller: 'main',
      file: FILE,
      budget: { calls: 6, timeMs: 600_000 },
    })
    expect(workflow.inputs).toMatchObject({
      draft: { type: 'markdown', optional: false },
      style: { type: 'flat|sketch', optional: true, default: 'flat' },
    })
    expect(workflow.waves.map((w) => [w.id, w.parallel, w.maxParallel, w.steps.map((s) => s.id)])).toEqual([
      ['edit', false, 1, ['edit']],
      ['fan_out', true, 1, ['pic', 'seo']],
    ])
    const [edit, pic, seo] = workflow.waves.flatMap((w) => w.steps)
    expect(edit).toMatchObject({
      target: { kind: 'agent', plugin: 'tdd-editor', name: 'editor', id: 'tdd-editor:editor' },
      into: 'edited',
      onError: {
        retries: 2,
        backoffMs: 5000,
        then: 'stop',
        fallback: { target: { kind: 'capability', capability: 'copy-editing@^1' }, args: { draft: '$inputs.draft' } },
      },
    })
    expect(pic).toMatchObject({
      group: 'fan_out',
      when: [{ slot: 'edited', exists: true }],
      budget: { calls: 2, timeMs: 90_000 },
    })
    expect(seo).toMatchObject({
      target: { kind: 'command', id: 'tdd-growth:seo' },
      onError: { retries: 0, then: 'continue' },
    })
  })

  it('reports missing fields by step id', () => {
    expect(problems('steps:\n  - id: edit\n')).toEqual([
      [
        'WORKFLOW_INVALID',
        'steps.edit.invoke',
        '"invoke" is missing: an invoke is a map of plugin, agent, command, skill, capability, prompt, args',
      ],
    ])
    expect(problems('name: x\n')).toEqual([
      [
        'WORKFLOW_INVALID',
        'steps',
        '"steps" is missing: steps is a list of steps, each "- id: ..." with invoke or parallel',
      ],
    ])
    expect(problems('steps:\n  - invoke: { plugin: a, agent: b }\n')).toEqual([
      ['WORKFLOW_INVALID', 'steps.0.id', '"id" is missing: a step id is text, e.g. "edit"'],
    ])
  })

  // Found by review: an input "toString" read as given when it was not, and inject_into: __proto__ lost the value.
  it('refuses names every JavaScript object already holds, for inputs, slots and steps', () => {
    const owned =
      'names such as "constructor", "toString" and "__proto__" belong to every JavaScript object; choose another name'
    expect(problems(`inputs: { toString: text }\nsteps:\n  - id: a\n${CALL.replace('$inputs.draft', 'x')}`)).toEqual([
      ['WORKFLOW_INVALID', 'inputs.toString', `the name "toString": ${owned}`],
    ])
    expect(problems(step(`${CALL}    on_complete: { inject_into: constructor }\n`))).toEqual([
      ['WORKFLOW_INVALID', 'steps.edit.on_complete.inject_into', owned],
    ])
    expect(problems(`steps:\n  - id: valueOf\n${CALL.replace('$inputs.draft', 'x')}`)).toEqual([
      ['WORKFLOW_INVALID', 'steps.valueOf.id', owned],
    ])
    // Given at a run, such a name is an input the workflow does not have, as any other would be.
    expect(JSON.stringify(resolveInputs({ inputs: {} }, { constructor: 'x' }))).toContain(
      'there is no input \\"constructor\\"',
    )
  })

  it('reports unknown keys with the keys that are allowed', () => {
    expect(problems(step(`${CALL}    on_sucess: { inject_into: x }\n`))).toEqual([
      [
        'WORKFLOW_INVALID',
        'steps.edit',
        'unknown key "on_sucess"; a step takes id, description, invoke, when, on_complete, on_error, budget',
      ],
    ])
    expect(problems(`stpes: []\nsteps:\n  - id: a\n${CALL}`)).toEqual([
      [
        'WORKFLOW_INVALID',
        null,
        'unknown key "stpes"; a workflow takes name, description, caller, inputs, budget, steps, outputs',
      ],
    ])
  })

  it('reports wrong types with the form that is expected', () => {
    expect(problems(step(`${CALL}    on_error: { retry: two }\n`))).toEqual([
      ['WORKFLOW_INVALID', 'steps.edit.on_error.retry', 'retry is a count (e.g. 2) or { count: 2, backoff: 5s }'],
    ])
    expect(problems(step(`${CALL}    on_error: retry\n`))).toEqual([
      ['WORKFLOW_INVALID', 'steps.edit.on_error', 'on_error is "stop", "continue", or { retry, fallback, then }'],
    ])
    expect(problems(step('    invoke: { plugin: tdd-editor, agent: editor, args: { draft: [a, b] } }\n'))).toEqual([
      [
        'WORKFLOW_INVALID',
        'steps.edit.invoke.args.draft',
        'an argument is text, a number or true/false; write lists and objects as text',
      ],
    ])
    expect(problems(step(`${CALL}    budget: { time: soon }\n`))).toEqual([
      [
        'WORKFLOW_INVALID',
        'steps.edit.budget.time',
        'a duration is a number of seconds or text such as "90s", "10m" or "1h"',
      ],
    ])
    expect(problems('steps:\n  - edit\n')).toEqual([
      [
        'WORKFLOW_INVALID',
        'steps.0',
        'a step is a map with an id and an invoke (one call), or an id and parallel (a list of steps that run at once)',
      ],
    ])
    expect(problems('- a\n- b\n')).toEqual([
      ['WORKFLOW_INVALID', null, 'a workflow is a map of name, description, caller, inputs, budget, steps, outputs'],
    ])
    expect(problems(`inputs: { draft: strng }\nsteps:\n  - id: a\n${CALL}`)[0]).toEqual([
      'WORKFLOW_INVALID',
      'inputs.draft',
      expect.stringContaining('an input type is a short type'),
    ])
  })

  it('reports a field inside a parallel group by the ids of the group and the step', () => {
    expect(
      problems(
        `steps:\n  - id: fan_out\n    parallel:\n      - id: a\n        invoke: { plugin: tdd-editor, agent: editor }\n      - id: b\n        invoke: { plugin: TDD, agent: x }\n`,
      ),
    ).toEqual([
      [
        'WORKFLOW_INVALID',
        'steps.fan_out.parallel.b.invoke.plugin',
        'plugin is a kebab-case plugin name, e.g. "tdd-editor"',
      ],
    ])
    expect(
      problems(
        `steps:\n  - id: fan_out\n    parallel:\n      - id: a\n        invoke: { plugin: tdd-editor, agent: editor }\n`,
      ),
    ).toEqual([
      [
        'WORKFLOW_INVALID',
        'steps.fan_out.parallel',
        'a parallel group holds at least two steps; write a single step without "parallel"',
      ],
    ])
  })

  it('reports an invoke that names no target, two targets, or a component without its plugin', () => {
    expect(problems('steps:\n  - id: a\n    invoke: { plugin: tdd-editor }\n')[0]![2]).toContain(
      'invoke names nothing to call',
    )
    expect(problems('steps:\n  - id: a\n    invoke: { plugin: tdd-growth, agent: seo, command: seo }\n')).toEqual([
      [
        'WORKFLOW_INVALID',
        'steps.a.invoke',
        'invoke names 2 targets; it calls one agent, command or skill of a plugin, or one capability. Keep one of agent, command.',
      ],
    ])
    expect(problems('steps:\n  - id: a\n    invoke: { agent: editor }\n')).toEqual([
      [
        'WORKFLOW_INVALID',
        'steps.a.invoke.plugin',
        'agent "editor" needs the plugin it belongs to. Add plugin: <plugin name>.',
      ],
    ])
    expect(
      problems('steps:\n  - id: a\n    invoke: { plugin: tdd-editor, capability: copy-editing@^1 }\n')[0]![1],
    ).toBe('steps.a.invoke.plugin')
  })

  it('reports duplicate step ids, inside groups too', () => {
    expect(
      problems(
        `steps:\n  - id: edit\n${CALL.replace('$inputs.draft', 'x')}  - id: g\n    parallel:\n      - id: edit\n${CALL.replace('$inputs.draft', 'x').replace(/^ {4}/, '        ')}      - id: b\n${CALL.replace('$inputs.draft', 'x').replace(/^ {4}/, '        ')}`,
      ),
    ).toEqual([
      [
        'WORKFLOW_DUPLICATE_STEP',
        'steps.g.parallel.edit',
        'two steps have the id "edit"; step ids name results, receipts and trace entries, so each must be unique. Rename one.',
      ],
    ])
  })

  it('reports bad references: an undeclared input, $inputs with no name, and a reserved slot name', () => {
    expect(
      problems(step('    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.drat } }\n')),
    ).toEqual([
      [
        'WORKFLOW_UNKNOWN_INPUT',
        'steps.edit.invoke.args.draft',
        '$inputs.drat names no declared input. Inputs: draft. Declare it under inputs, or fix the name.',
      ],
    ])
    expect(
      problems(step('    invoke: { plugin: tdd-editor, agent: editor, prompt: "Edit $inputs", args: { draft: x } }\n')),
    ).toEqual([
      [
        'WORKFLOW_BAD_REFERENCE',
        'steps.edit.invoke.prompt',
        '"$inputs" names no input; write $inputs.<name>, e.g. $inputs.article (or $$inputs for the literal text)',
      ],
    ])
    expect(problems(step(`${CALL}    on_complete: { inject_into: inputs }\n`))).toEqual([
      [
        'WORKFLOW_INVALID',
        'steps.edit.on_complete.inject_into',
        '"inputs" is reserved for $inputs.<name>; choose another slot name',
      ],
    ])
    expect(problems(`steps:\n  - id: a\n${CALL.replace('$inputs.draft', 'x')}outputs: { article: edited }\n`)).toEqual([
      ['WORKFLOW_INVALID', 'outputs.article', 'an output is a reference, e.g. "$edited_article" or "$inputs.article"'],
    ])
    // Found by review: "$art.svg" passed the check and the run left the output unset.
    const field = `steps:\n  - id: a\n${CALL.replace('$inputs.draft', 'x')}    on_complete: { inject_into: art }\noutputs: { svg: $art.svg, both: "$art and $art" }\n`
    expect(problems(field)).toEqual([
      [
        'WORKFLOW_BAD_REFERENCE',
        'outputs.svg',
        'an output is a whole slot or input: "$art.svg" names a field of $art, which outputs do not read. Output $art, or have a step return the field alone.',
      ],
      [
        'WORKFLOW_BAD_REFERENCE',
        'outputs.both',
        'an output is one reference, e.g. "$edited_article" or "$inputs.article", not "$art and $art".',
      ],
    ])
  })

  it('reports conditions that test nothing, look at two things, name no input or hold a bad pattern', () => {
    expect(problems(step(`${CALL}    when: { slot: x }\n`))).toEqual([
      ['WORKFLOW_INVALID', 'steps.edit.when', 'a condition makes one test: equals, not_equals, matches or exists.'],
    ])
    expect(problems(step(`${CALL}    when: { slot: x, input: draft, exists: true }\n`))[0]![2]).toContain('not both')
    expect(problems(step(`${CALL}    when: { input: colour, equals: red }\n`))).toEqual([
      [
        'WORKFLOW_UNKNOWN_INPUT',
        'steps.edit.when.input',
        'there is no input "colour". Inputs: draft. Declare it under inputs, or fix the name.',
      ],
    ])
    expect(problems(step(`${CALL}    when: { slot: x, matches: "(" }\n`))[0]).toEqual([
      'WORKFLOW_INVALID',
      'steps.edit.when.matches',
      expect.stringMatching(/^matches is not a regular expression \(.*\)\. Fix the pattern/),
    ])
    // The attacker's pattern: 27 characters of "a" and a "!" held Node for about a second, 40 for hours.
    expect(problems(step(`${CALL}    when: { slot: x, matches: '^(\\w+\\s?)*$' }\n`))[0]).toEqual([
      'WORKFLOW_INVALID',
      'steps.edit.when.matches',
      expect.stringContaining('matches nests one repetition inside another'),
    ])
    expect(problems(step(`${CALL}    when: { slot: x, matches: '^(draft|final)[0-9]*$' }\n`))).toEqual([])
  })

  it('reports a default that is not of its type, as a value given at the run would be', () => {
    const inputs = [
      'style: { type: flat|sketch, default: oil }',
      'n: { type: integer, default: abc }',
      'flag: { type: boolean, default: maybe }',
      'ratio: { type: "number?", default: "1.5" }',
      `tags: { type: "string[]", default: '["a", "b"]' }`,
      'opts: { type: object, default: "dpi 300" }',
      'count: { type: integer, default: 3 }',
    ].join(', ')
    expect(problems(`inputs: { ${inputs} }\nsteps:\n  - id: a\n${CALL.replace('$inputs.draft', 'x')}`)).toEqual([
      [
        'WORKFLOW_INVALID',
        'inputs.style.default',
        'the default: "oil" is not one of flat, sketch. Give a default of type flat|sketch.',
      ],
      [
        'WORKFLOW_INVALID',
        'inputs.n.default',
        'the default: "abc" is not a whole number. Give a default of type integer.',
      ],
      [
        'WORKFLOW_INVALID',
        'inputs.flag.default',
        'the default: "maybe" is not true or false. Give a default of type boolean.',
      ],
      [
        'WORKFLOW_INVALID',
        'inputs.opts.default',
        'the default: "dpi 300" is not a JSON object. Give a default of type object.',
      ],
    ])
  })

  it('reports YAML syntax errors with the line, duplicate keys included', () => {
    expect(problems('steps:\n  - id: edit\n   invoke: x\n')).toEqual([
      ['WORKFLOW_INVALID_YAML', null, 'line 3, column 1: Sequence item without - indicator. Fix the YAML syntax.'],
    ])
    expect(problems('steps: []\nsteps: []\n')[0]![2]).toMatch(/^line 2, column 1: Map keys must be unique/)
  })

  it('refuses a document that expands aliases without bound', () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\nsteps: []\n`
    expect(problems(bomb)[0]![0]).toBe('WORKFLOW_INVALID_YAML')
  })

  it("refuses a __proto__ key, which would vanish or change an object's prototype", () => {
    expect(problems(`inputs:\n  draft: markdown\n  __proto__: text\nsteps: []\n`)).toEqual([
      [
        'WORKFLOW_INVALID_YAML',
        null,
        'line 3: a key named "__proto__" cannot be used (JavaScript objects take it as their prototype). Rename it.',
      ],
    ])
    expect(
      problems(
        `steps:\n  - id: a\n    invoke: { plugin: tdd-editor, agent: editor, args: { "__proto__": { polluted: yes } } }\n`,
      )[0]![2],
    ).toMatch(/^line 3: a key named "__proto__"/)
  })

  it('parses a value read by another runtime the same way (no YAML in the core)', () => {
    const read = parseWorkflow(
      { steps: [{ id: 'a', invoke: { plugin: 'tdd-editor', agent: 'editor' } }] },
      { file: 'tdd-editor:quick', name: 'quick' },
    )
    expect(read.value?.name).toBe('quick')
  })
})

describe('workflow references', () => {
  it('reads $inputs.name and $slot, outside quoted material only', () => {
    expect(
      workflowReferences('Edit $inputs.draft for $reader, not `$inputs.secret` or $$inputs.x').map((r) => [
        r.kind,
        'name' in r ? r.name : '',
      ]),
    ).toEqual([
      ['input', 'draft'],
      ['slot', 'reader'],
    ])
  })

  it('fills inputs so that a value can never name a slot or unquote one', () => {
    expect(substituteInputs('Draft: $inputs.draft; notes $notes', { draft: 'costs $5 and $secret' })).toEqual({
      ok: true,
      text: 'Draft: costs $$5 and $$secret; notes $notes',
    })
    // The author quoted $api_key; a value that closes the fence would make it a live reference.
    const text = '$inputs.draft\n```\n$api_key\n```\n'
    expect(substituteInputs(text, { draft: '```' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('changes which $slot references the text holds'),
    })
  })
})
