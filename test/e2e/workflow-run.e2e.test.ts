// Running workflows with /switchboard:run, in both runtimes, with the same assertions: in module mode
// (2.1.332, 2.1.331) the hooks module runs each example workflow itself, every step a guarded, traced
// Agent call of the loop that called the tool; in settings mode (2.1.197) the MCP tool run_workflow
// hands the model each wave's calls and the settings hooks admit only those. The stand-in model plays a
// compliant model (`followPlan`: it does what the command and the tool answers say). The context each
// agent received is asserted from what the stand-in was sent; receipts make a resume after a kill redo
// only the unfinished steps, asserted from the requests the stand-in received.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import { workflowAnswers } from '../helpers/conversation.ts'
import { edges, expectedRuntime, runtimeOf, traceOutput, tracedInvocations } from '../helpers/trace.ts'
import { callAgent, DEFAULT_TOOLS, runClaude, say } from '../harness/index.ts'
import type { ClaudeRun, RunOptions, Scenario } from '../harness/index.ts'
import { EXAMPLES } from '../helpers/plugins.ts'

const MODULE_VERSIONS = PINNED_VERSIONS.filter((v) => expectedRuntime(v) === 'module')
const ART = '{"svg": "<svg viewBox=\\"0 0 8 8\\"/>", "alt": "a kite over the sea"}'
const EDITED = 'Solar kites are cheap and light.'
const DRAFT = 'Solar kites, it has to be said, are really quite cheap and also light.'
const SEO_HELPER = {
  matchPrompt: 'step seo. Make exactly this one Skill tool call',
  turns: [{ followPlan: true as const }, say('{"score": 64, "title": "Kites return", "keywords": ["kites"]}')],
}
const BRIEF = say(
  '{"title": "Kites return", "summary": "Kites are back. Cheap. Light.", "image_alt": "a kite over the sea", "keywords": ["kites"]}',
)
const ALLOWED = [...DEFAULT_TOOLS, 'mcp__plugin_switchboard_switchboard__run_workflow']

function project(files: Record<string, string> = {}): string {
  const cwd = mkdtempSync(join(tmpdir(), 'switchboard-run-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(cwd, path, '..'), { recursive: true })
    writeFileSync(join(cwd, path), text)
  }
  return cwd
}

/** A compliant model's turns in the person's session: it does what /switchboard:run and each answer say. */
const compliant = (turns = 10): Scenario['main'] => Array.from({ length: turns }, () => ({ followPlan: true as const }))

/** `/switchboard:run <line>` in a new session of the example plugins, the main thread played as a compliant model. */
function runWorkflow(
  version: (typeof PINNED_VERSIONS)[number],
  line: string,
  agents: Scenario['agents'],
  options: Partial<RunOptions> = {},
): Promise<ClaudeRun> {
  return runClaude({
    version,
    prompt: `/switchboard:run ${line}`,
    plugins: EXAMPLES,
    cwd: project(),
    allowedTools: ALLOWED,
    scenario: { main: compliant(), agents },
    ...options,
  })
}

type Answer = Record<string, unknown> & { status: string; steps: Array<Record<string, unknown>> }

/** The run's result: the last answer (module mode: the only one; settings mode: after the `next` ones). */
function resultOf(run: ClaudeRun): Answer {
  const last = workflowAnswers(run).at(-1) as Answer | undefined
  expect(last?.status, `${run.stderr.slice(-1500)}\n${JSON.stringify(workflowAnswers(run))}`).toMatch(
    /^(ok|failed|denied|budget_exhausted)$/,
  )
  return last!
}

const stepsOf = (answer: Answer): string[] => answer.steps.map((s) => `${String(s.id)} ${String(s.status)}`)
const requestsTo = (run: ClaudeRun, conversation: string): number =>
  run.requests.filter((r) => r.conversation === conversation).length
const illustrateAgents: Scenario['agents'] = {
  'tdd-editor:editor': [say(EDITED)],
  'tdd-design:illustrator': [say(ART)],
}

describe.each(PINNED_VERSIONS)('running workflows on Claude Code %s', (version) => {
  const runtime = expectedRuntime(version)

  it('Editor -> Designer: both steps run, the edited text reaches the illustrator, the trace groups them under the run', async () => {
    const run = await runWorkflow(
      version,
      `tdd-editor:illustrate-draft "draft=${DRAFT}" style=sketch`,
      illustrateAgents,
    )
    expect(run.exitCode).toBe(0)
    expect(runtimeOf(run)).toBe(runtime)
    const answer = resultOf(run)
    expect(answer).toMatchObject({
      status: 'ok',
      workflow: 'illustrate-draft',
      partial: false,
      outputs: { article: EDITED, illustration: { svg: '<svg viewBox="0 0 8 8"/>', alt: 'a kite over the sea' } },
    })
    expect(stepsOf(answer)).toEqual(['edit ok', 'illustrate ok'])
    // Settings mode: one wave handed out at a time, the model's calls carrying only each step's token.
    if (runtime === 'settings') expect(workflowAnswers(run).map((a) => a.status)).toEqual(['next', 'next', 'ok'])
    // The context each agent received: the input, then the first step's return, by slot.
    expect(run.textSentTo('tdd-editor:editor')).toContain(`draft: ${DRAFT}\nillustrate: no`)
    expect(run.textSentTo('tdd-design:illustrator')).toContain(EDITED)
    expect(run.textSentTo('tdd-design:illustrator')).toContain('style: sketch')
    expect(run.textSentTo('tdd-design:illustrator')).not.toContain(DRAFT)
    const traced = tracedInvocations(run)
    expect(edges(traced)).toEqual(['main -> tdd-editor:editor ok', 'main -> tdd-design:illustrator ok'])
    expect(traced.map((i) => i.workflow)).toEqual([
      { run: answer.run, name: 'illustrate-draft', plugin: 'tdd-editor', step: 'edit' },
      { run: answer.run, name: 'illustrate-draft', plugin: 'tdd-editor', step: 'illustrate' },
    ])
    expect(traceOutput(run)).toMatch(
      new RegExp(
        `workflow tdd-editor:illustrate-draft  \\[${String(answer.run)}\\]\\n\\s+├─ edit: tdd-editor:editor \\(agent\\)  ok.*\\n\\s+└─ illustrate: tdd-design:illustrator \\(agent\\)  ok`,
      ),
    )
  })

  it('Tech -> Editor: the capability step is routed to the editor, which receives the writer draft', async () => {
    const run = await runWorkflow(version, 'tdd-tech:copy-edit-article "topic=Release 2.0"', {
      'tdd-tech:tech-writer': [say('# Release 2.0\n\nIt is out, and it is very very fast.')],
      'tdd-editor:editor': [say('# Release 2.0\n\nIt is out, and fast.')],
    })
    expect(resultOf(run)).toMatchObject({ status: 'ok', outputs: { article: '# Release 2.0\n\nIt is out, and fast.' } })
    expect(run.textSentTo('tdd-tech:tech-writer')).toContain('topic: Release 2.0\ncopy_edit: no')
    expect(run.textSentTo('tdd-tech:tech-writer')).not.toContain('notes:') // an optional input not given is left out
    expect(run.textSentTo('tdd-editor:editor')).toContain('It is out, and it is very very fast.')
    expect(edges(tracedInvocations(run))).toEqual(['main -> tdd-tech:tech-writer ok', 'main -> tdd-editor:editor ok'])
  })

  it('Growth -> All: the fan-out at once, the SEO command through a helper agent with the Skill tool, then the summary gets all three', async () => {
    const run = await runWorkflow(version, 'tdd-growth:distribute "article=Kites are back."', {
      'tdd-editor:editor': [say('Kites return.')],
      'tdd-design:illustrator': [say(ART)],
      seoHelper: SEO_HELPER,
      'tdd-growth:summarizer': [BRIEF],
    })
    const answer = resultOf(run)
    expect(answer).toMatchObject({
      status: 'ok',
      outputs: { brief: { title: 'Kites return' }, article: 'Kites return.' },
    })
    expect(stepsOf(answer)).toEqual(['edit ok', 'illustrate ok', 'seo ok', 'summarize ok'])
    if (runtime === 'settings') expect(workflowAnswers(run)[0]!.steps).toEqual(['edit', 'illustrate', 'seo']) // one message of three calls
    expect(run.textSentTo('seoHelper')).toContain('Review the content for search: content: Kites are back.') // the command's text, in the helper
    const summarizer = run.textSentTo('tdd-growth:summarizer')
    expect(summarizer).toContain('Kites return.')
    expect(summarizer).toContain('a kite over the sea')
    expect(summarizer).toMatch(/"score": 64[\s\S]*end seo_report/) // the command's return, by its slot
    const traced = tracedInvocations(run)
    // The helper's Skill call is traced as the caller's: a built-in agent is no call of its own (callers.ts in module mode).
    expect(edges(traced).sort()).toEqual([
      'main -> tdd-design:illustrator ok',
      'main -> tdd-editor:editor ok',
      'main -> tdd-growth:seo ok',
      'main -> tdd-growth:summarizer ok',
    ])
    expect(new Set(traced.map((i) => i.workflow?.run))).toEqual(new Set([answer.run]))
    // The summary waits for the whole fan-out (the wave); the fan-out's own concurrency is the engine's unit tests'.
    const fan = traced.filter((i) => ['edit', 'illustrate', 'seo'].includes(i.workflow!.step))
    const summary = traced.find((i) => i.workflow!.step === 'summarize')!
    expect(fan.every((i) => i.end! <= summary.start)).toBe(true)
  })

  it('a kill in the middle, then a resume in a new session: only the unfinished step runs, with the restored slot; a third run runs nothing', async () => {
    const cwd = project()
    const line = `tdd-editor:illustrate-draft "draft=${DRAFT}"`
    const killed = await runWorkflow(version, line, illustrateAgents, {
      cwd,
      killAt: (request) => request.conversation === 'tdd-design:illustrator',
    })
    expect(requestsTo(killed, 'tdd-editor:editor')).toBe(1)
    expect(requestsTo(killed, 'tdd-design:illustrator')).toBe(1)
    expect(workflowAnswers(killed).filter((a) => a.status === 'ok')).toEqual([]) // it never finished: killed
    const resumed = await runWorkflow(version, line, illustrateAgents, { cwd, home: killed.home })
    expect(requestsTo(resumed, 'tdd-editor:editor')).toBe(0)
    expect(requestsTo(resumed, 'tdd-design:illustrator')).toBe(1)
    expect(resumed.textSentTo('tdd-design:illustrator')).toContain(EDITED) // the editor's return, restored from its receipt
    const answer = resultOf(resumed)
    expect(answer).toMatchObject({ status: 'ok', outputs: { article: EDITED } })
    expect(stepsOf(answer)).toEqual(['edit reused', 'illustrate ok'])
    const again = await runWorkflow(version, line, illustrateAgents, { cwd, home: killed.home })
    expect(again.requests.filter((r) => r.conversation !== 'main' && r.conversation !== 'aux')).toEqual([])
    expect(stepsOf(resultOf(again))).toEqual(['edit reused', 'illustrate reused'])
    const fresh = await runWorkflow(version, `${line} --fresh`, illustrateAgents, { cwd, home: killed.home })
    expect(stepsOf(resultOf(fresh))).toEqual(['edit ok', 'illustrate ok'])
  })

  it('a step the policy denies for the workflow caller never runs; the workflow goes on (then: continue) and the denial is traced', async () => {
    const cwd = project({
      '.claude/switchboard/policy.json': JSON.stringify({
        rules: [{ caller: 'tdd-growth:distributor', target: 'tdd-design:*', action: 'deny' }],
      }),
    })
    const run = await runWorkflow(
      version,
      'tdd-growth:distribute article=Kites.',
      {
        'tdd-editor:editor': [say('Kites!')],
        'tdd-design:illustrator': [say(ART)],
        seoHelper: SEO_HELPER,
        'tdd-growth:summarizer': [BRIEF],
      },
      { cwd },
    )
    const answer = resultOf(run)
    expect(answer.status).toBe('ok')
    expect(stepsOf(answer)).toEqual(['edit ok', 'illustrate denied', 'seo ok', 'summarize ok'])
    expect(String(answer.steps[1]!.problems)).toMatch(/policy/)
    expect(requestsTo(run, 'tdd-design:illustrator')).toBe(0)
    expect(run.textSentTo('tdd-growth:summarizer')).not.toContain('illustration:') // the unset slot is left out
    expect(edges(tracedInvocations(run))).toContain('main -> tdd-design:illustrator denied')
  })

  it('a failing step is retried after its backoff, then its fallback answers; a workflow file in the project runs too', async () => {
    const workflow = {
      inputs: { text: 'markdown' },
      steps: [
        {
          id: 'picture',
          invoke: { plugin: 'tdd-design', agent: 'illustrator', args: { content: '$inputs.text' } },
          on_complete: { inject_into: 'picture' },
          on_error: {
            retry: { count: 1, backoff: '1s' },
            fallback: { plugin: 'tdd-editor', agent: 'editor', args: { draft: '$inputs.text' } },
            then: 'stop',
          },
        },
      ],
      outputs: { picture: '$picture' },
    }
    const cwd = project({ 'flows/picture.json': JSON.stringify(workflow) })
    const run = await runWorkflow(
      version,
      'flows/picture.json text=Kites.',
      { 'tdd-design:illustrator': [say('{"svg": 42}')], 'tdd-editor:editor': [say('No picture; the text: Kites.')] },
      { cwd },
    )
    const answer = resultOf(run)
    expect(answer).toMatchObject({ status: 'ok', outputs: { picture: 'No picture; the text: Kites.' } })
    expect(answer.steps[0]).toMatchObject({ status: 'ok', calls: 3, fallback: true, target: 'tdd-editor:editor' })
    expect(requestsTo(run, 'tdd-design:illustrator')).toBe(2)
    // A return that breaks its contract is a failed call in the trace, as in the run.
    const traced = tracedInvocations(run)
    expect(traced.map((i) => `${i.workflow?.step} ${i.target} ${i.status}`)).toEqual([
      'picture tdd-design:illustrator failed',
      'picture tdd-design:illustrator failed',
      'picture tdd-editor:editor ok',
    ])
    expect(String(answer.steps[0]!.problems)).toBe('')
    expect(traced[1]!.start - traced[0]!.end!).toBeGreaterThanOrEqual(1000) // the backoff
  })

  it("counts an agent's turns from its transcript: a step that spends the turns budget is the last to start; a YAML file in the project runs too", async () => {
    // YAML outside any plugin: module mode has Switchboard's MCP server parse it (drive_workflow).
    const workflow = [
      'inputs:',
      '  text: markdown',
      'budget: { turns: 2 }',
      'steps:',
      '  - id: edit',
      '    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.text } }',
      '    on_complete: { inject_into: edited }',
      '  - id: picture',
      '    invoke: { plugin: tdd-design, agent: illustrator, args: { content: $edited } }',
      'outputs:',
      '  edited: $edited',
      '',
    ].join('\n')
    const cwd = project({ 'flows/turns.yaml': workflow, 'notes.md': 'Kites fly.\n' })
    const read = { call: { tool: 'Read', input: { file_path: join(cwd, 'notes.md') } } }
    const run = await runWorkflow(
      version,
      'flows/turns.yaml text=Kites.',
      { 'tdd-editor:editor': [read, read, say('Kites, edited.')], 'tdd-design:illustrator': [say(ART)] },
      { cwd },
    )
    const answer = resultOf(run)
    expect(answer).toMatchObject({
      status: 'budget_exhausted',
      outputs: { edited: 'Kites, edited.' },
      used: { turns: 3 },
    })
    expect(stepsOf(answer)).toEqual(['edit ok', 'picture budget_exhausted'])
    expect(requestsTo(run, 'tdd-design:illustrator')).toBe(0)
  })

  it("fails a command step whose Skill call Claude Code refuses or lacks (the helper's answer is not the command's result); the workflow goes on", async () => {
    const run = await runWorkflow(
      version,
      'tdd-growth:distribute article=Kites.',
      {
        'tdd-editor:editor': [say('Kites!')],
        'tdd-design:illustrator': [say(ART)],
        seoHelper: {
          matchPrompt: SEO_HELPER.matchPrompt,
          turns: [{ followPlan: true }, say('{"score": 99, "title": "Made up", "keywords": []}')],
        },
        'tdd-growth:summarizer': [BRIEF],
      },
      {
        // No Skill permission: 2.1.33x refuses the helper's Skill call (-p cannot ask); 2.1.197 asks for no
        // permission for a plugin's skill, so there the Skill tool is switched off instead.
        allowedTools: ['Agent', 'Read', 'SwitchboardInvoke', 'mcp__plugin_switchboard_switchboard__run_workflow'],
        ...(version === '2.1.197' ? { extraArgs: ['--disallowedTools', 'Skill'] } : {}),
      },
    )
    const answer = resultOf(run)
    expect(answer.status).toBe('ok')
    expect(stepsOf(answer)).toEqual(['edit ok', 'illustrate ok', 'seo failed', 'summarize ok'])
    expect(run.textSentTo('tdd-growth:summarizer')).not.toContain('Made up')
  })

  // An attack on the runner: a when.matches that backtracks without end on a value that almost matches
  // (safe-regex2 passes it). Both runtimes' runs are decided by the MCP server (run_workflow in settings
  // mode, drive_workflow for the module), whose Node has no regex timeout of its own: it stops the test
  // after 500 ms and fails the step, with no fallback. On the module's code before the engine moved to
  // the server, Claude Code's own engine skipped the step instead: the runtimes now agree.
  it('is not held by a backtracking when.matches, and runs no fallback for a condition it could not decide', async () => {
    const hostile = `inputs: { text: text }
steps:
  - id: edit
    when: { input: text, matches: "^([a-z]|[a-m])+$" }
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.text } }
    on_error: { fallback: { plugin: tdd-tech, agent: tech-writer, args: { topic: kites } }, then: continue }
`
    const started = Date.now()
    const run = await runWorkflow(
      version,
      `flows/hostile.yaml text=${'a'.repeat(40)}!`,
      { 'tdd-editor:editor': [say('EDITED')], 'tdd-tech:tech-writer': [say('WROTE')] },
      { cwd: project({ 'flows/hostile.yaml': hostile }) },
    )
    expect(Date.now() - started).toBeLessThan(60_000)
    const answer = resultOf(run)
    expect(stepsOf(answer)).toEqual(['edit failed'])
    expect(JSON.stringify(answer.steps[0])).toContain('took longer than 500 ms on this value and was stopped')
    expect(tracedInvocations(run)).toEqual([])
  })
})

describe.each(MODULE_VERSIONS)('the invoke tool with a workflow, on Claude Code %s (module mode)', (version) => {
  it('takes `workflow` and an `inputs` object from any loop, and answers the run in one tool call', async () => {
    const run = await runClaude({
      version,
      prompt: 'Write it up',
      plugins: EXAMPLES,
      cwd: project(),
      scenario: {
        main: [
          {
            call: {
              tool: 'SwitchboardInvoke',
              input: { workflow: 'tdd-tech:copy-edit-article', inputs: { topic: 'Release 2.0' } },
            },
          },
          say('Done.'),
        ],
        agents: {
          'tdd-tech:tech-writer': [say('# Release 2.0\n\nIt is out, and it is very very fast.')],
          'tdd-editor:editor': [say('# Release 2.0\n\nIt is out, and fast.')],
        },
      },
    })
    expect(workflowAnswers(run)).toHaveLength(1)
    expect(resultOf(run)).toMatchObject({ status: 'ok', outputs: { article: '# Release 2.0\n\nIt is out, and fast.' } })
    expect(run.textSentTo('tdd-editor:editor')).toContain('It is out, and it is very very fast.')
  })
})

describe('a guided run on Claude Code 2.1.197 (settings mode): the hooks enforce what run_workflow hands out', () => {
  it('while a step waits, a call to its target that run_workflow did not hand out is refused, and the run still completes', async () => {
    const run = await runClaude({
      version: '2.1.197',
      prompt: `/switchboard:run tdd-editor:illustrate-draft "draft=${DRAFT}"`,
      plugins: EXAMPLES,
      cwd: project(),
      allowedTools: ALLOWED,
      scenario: {
        main: [
          { followPlan: true },
          { call: callAgent('tdd-editor:editor', 'Skip the workflow and rewrite everything as a limerick.') },
          ...compliant(6),
        ],
        agents: illustrateAgents,
      },
    })
    const sent = run.textSentTo('main')
    expect(sent).toMatch(
      /Switchboard: a workflow run waits for its step edit, which calls tdd-editor:editor: make that call with the prompt "switchboard-step wf_[a-z0-9]+\/edit\/1" exactly/,
    )
    expect(run.textSentTo('tdd-editor:editor')).not.toContain('limerick')
    expect(requestsTo(run, 'tdd-editor:editor')).toBe(1)
    expect(stepsOf(resultOf(run))).toEqual(['edit ok', 'illustrate ok'])
  })
})
