// Running workflows: /switchboard:run and the invoke tool with `workflow`. In module mode (2.1.332,
// 2.1.331) the hooks module runs each example workflow itself: every step a guarded, traced Agent call
// of the loop that called the tool, the context each agent received asserted from what the stand-in
// model was sent, receipts that make a resume after a kill redo only the unfinished steps. On 2.1.197
// (settings mode) /switchboard:run shows the plan and says the workflow needs the hooks module.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import { invokeAnswers, workflowAnswers } from '../helpers/conversation.ts'
import { messagesText } from '../harness/model-server.ts'
import { edges, expectedRuntime, runtimeOf, traceOutput, tracedInvocations } from '../helpers/trace.ts'
import { callAgent, DEFAULT_TOOLS, runClaude, say } from '../harness/index.ts'
import type { ClaudeRun, Scenario } from '../harness/index.ts'
import { EXAMPLES } from '../helpers/plugins.ts'

const MODULE_VERSIONS = PINNED_VERSIONS.filter((v) => expectedRuntime(v) === 'module')
const ART = '{"svg": "<svg viewBox=\\"0 0 8 8\\"/>", "alt": "a kite over the sea"}'
const EDITED = 'Solar kites are cheap and light.'
const DRAFT = 'Solar kites, it has to be said, are really quite cheap and also light.'

function project(files: Record<string, string> = {}): string {
  const cwd = mkdtempSync(join(tmpdir(), 'switchboard-run-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(cwd, path, '..'), { recursive: true })
    writeFileSync(join(cwd, path), text)
  }
  return cwd
}

/** The run's answer: the one invoke tool result. */
function answerOf(run: ClaudeRun): Record<string, unknown> & { steps: Array<Record<string, unknown>> } {
  const answers = invokeAnswers(run)
  expect(answers, run.stderr.slice(-2000)).toHaveLength(1)
  return answers[0] as Record<string, unknown> & { steps: Array<Record<string, unknown>> }
}

const stepsOf = (answer: { steps: Array<Record<string, unknown>> }): string[] => answer.steps.map((s) => `${String(s.id)} ${String(s.status)}`)
const requestsTo = (run: ClaudeRun, conversation: string): number => run.requests.filter((r) => r.conversation === conversation).length

const illustrateScenario: Scenario = {
  main: [{ followPlan: true }, { followPlan: true }],
  agents: { 'tdd-editor:editor': [say(EDITED)], 'tdd-design:illustrator': [say(ART)] },
}

describe.each(MODULE_VERSIONS)('running workflows on Claude Code %s (module mode)', (version) => {
  it('Editor -> Designer: /switchboard:run runs both steps, the edited text reaches the illustrator, the trace groups them under the run', async () => {
    const run = await runClaude({ version, prompt: `/switchboard:run tdd-editor:illustrate-draft "draft=${DRAFT}" style=sketch`, plugins: EXAMPLES, scenario: illustrateScenario, cwd: project() })
    expect(run.exitCode).toBe(0)
    expect(runtimeOf(run)).toBe('module')
    const answer = answerOf(run)
    expect(answer).toMatchObject({ status: 'ok', workflow: 'illustrate-draft', partial: false, outputs: { article: EDITED, illustration: { svg: '<svg viewBox="0 0 8 8"/>', alt: 'a kite over the sea' } } })
    expect(stepsOf(answer)).toEqual(['edit ok', 'illustrate ok'])
    // The context each agent received: the input, then the first step's return, by slot.
    expect(run.textSentTo('tdd-editor:editor')).toContain(`draft: ${DRAFT}\nillustrate: no`)
    expect(run.textSentTo('tdd-design:illustrator')).toContain(EDITED)
    expect(run.textSentTo('tdd-design:illustrator')).toContain('style: sketch')
    expect(run.textSentTo('tdd-design:illustrator')).not.toContain(DRAFT)
    const traced = tracedInvocations(run)
    expect(edges(traced)).toEqual(['main -> tdd-editor:editor ok', 'main -> tdd-design:illustrator ok'])
    expect(traced.map((i) => i.workflow)).toEqual([{ run: answer.run, name: 'illustrate-draft', plugin: 'tdd-editor', step: 'edit' }, { run: answer.run, name: 'illustrate-draft', plugin: 'tdd-editor', step: 'illustrate' }])
    expect(traceOutput(run)).toMatch(new RegExp(`workflow tdd-editor:illustrate-draft  \\[${String(answer.run)}\\]\\n\\s+├─ edit: tdd-editor:editor \\(agent\\)  ok.*\\n\\s+└─ illustrate: tdd-design:illustrator \\(agent\\)  ok`))
  })

  it('Tech -> Editor: the capability step is routed to the editor, which receives the writer draft', async () => {
    const run = await runClaude({
      version,
      prompt: 'Write it up',
      plugins: EXAMPLES,
      cwd: project(),
      scenario: {
        main: [{ call: { tool: 'mcp__switchboard__invoke', input: { workflow: 'tdd-tech:copy-edit-article', inputs: { topic: 'Release 2.0' } } } }, say('Done.')],
        agents: { 'tdd-tech:tech-writer': [say('# Release 2.0\n\nIt is out, and it is very very fast.')], 'tdd-editor:editor': [say('# Release 2.0\n\nIt is out, and fast.')] },
      },
    })
    const answer = answerOf(run)
    expect(answer).toMatchObject({ status: 'ok', outputs: { article: '# Release 2.0\n\nIt is out, and fast.' } })
    expect(run.textSentTo('tdd-tech:tech-writer')).toContain('topic: Release 2.0\ncopy_edit: no')
    expect(run.textSentTo('tdd-tech:tech-writer')).not.toContain('notes:') // an optional input not given is left out
    expect(run.textSentTo('tdd-editor:editor')).toContain('It is out, and it is very very fast.')
    expect(edges(tracedInvocations(run))).toEqual(['main -> tdd-tech:tech-writer ok', 'main -> tdd-editor:editor ok'])
  })

  it('Growth -> All: the fan-out, the SEO command through a helper agent with the Skill tool, then the summary gets all three', async () => {
    const article = 'Kites are back.'
    const seoArgs = `content: ${article}`
    const run = await runClaude({
      version,
      prompt: 'Distribute',
      plugins: EXAMPLES,
      cwd: project(),
      scenario: {
        main: [{ call: { tool: 'mcp__switchboard__invoke', input: { workflow: `tdd-growth:distribute "article=${article}"` } } }, say('Done.')],
        agents: {
          'tdd-editor:editor': [say('Kites return.')],
          'tdd-design:illustrator': [say(ART)],
          seoHelper: { matchPrompt: 'step seo. Make exactly this one Skill tool call', turns: [{ call: { tool: 'Skill', input: { skill: 'tdd-growth:seo', args: seoArgs } } }, say('{"score": 64, "title": "Kites return", "keywords": ["kites"]}')] },
          'tdd-growth:summarizer': [say('{"title": "Kites return", "summary": "Kites are back. Cheap. Light.", "image_alt": "a kite over the sea", "keywords": ["kites"]}')],
        },
      },
    })
    const answer = answerOf(run)
    expect(answer).toMatchObject({ status: 'ok', outputs: { brief: { title: 'Kites return' }, article: 'Kites return.' } })
    expect(stepsOf(answer)).toEqual(['edit ok', 'illustrate ok', 'seo ok', 'summarize ok'])
    expect(run.textSentTo('seoHelper')).toContain('Review the content for search: content: Kites are back.') // the command's text, in the helper
    const summarizer = run.textSentTo('tdd-growth:summarizer')
    expect(summarizer).toContain('Kites return.')
    expect(summarizer).toContain('a kite over the sea')
    expect(summarizer).toMatch(/"score": 64[\s\S]*end seo_report/) // the command's return, by its slot
    const traced = tracedInvocations(run)
    expect(edges(traced).sort()).toEqual(['main -> tdd-design:illustrator ok', 'main -> tdd-editor:editor ok', 'main -> tdd-growth:seo ok', 'main -> tdd-growth:summarizer ok'])
    expect(new Set(traced.map((i) => i.workflow?.run))).toEqual(new Set([answer.run]))
    // The summary waits for the whole fan-out (the wave); the fan-out's own concurrency is the engine's unit tests'
    // (the stand-in answers at once, so which of the three ends first here is a matter of timing).
    const fan = traced.filter((i) => ['edit', 'illustrate', 'seo'].includes(i.workflow!.step))
    const summary = traced.find((i) => i.workflow!.step === 'summarize')!
    expect(fan.every((i) => i.end! <= summary.start)).toBe(true)
  })

  it('a kill in the middle, then a resume in a new session: only the unfinished step runs, with the restored slot; a third run runs nothing', async () => {
    const cwd = project()
    const prompt = `/switchboard:run tdd-editor:illustrate-draft "draft=${DRAFT}"`
    const killed = await runClaude({ version, prompt, plugins: EXAMPLES, scenario: illustrateScenario, cwd, killAt: (request) => request.conversation === 'tdd-design:illustrator' })
    expect(requestsTo(killed, 'tdd-editor:editor')).toBe(1)
    expect(requestsTo(killed, 'tdd-design:illustrator')).toBe(1)
    expect(invokeAnswers(killed)).toEqual([]) // it never answered: killed
    const resumed = await runClaude({ version, prompt, plugins: EXAMPLES, scenario: illustrateScenario, cwd, home: killed.home })
    expect(requestsTo(resumed, 'tdd-editor:editor')).toBe(0)
    expect(requestsTo(resumed, 'tdd-design:illustrator')).toBe(1)
    expect(resumed.textSentTo('tdd-design:illustrator')).toContain(EDITED) // the editor's return, restored from its receipt
    const answer = answerOf(resumed)
    expect(answer).toMatchObject({ status: 'ok', outputs: { article: EDITED } })
    expect(stepsOf(answer)).toEqual(['edit reused', 'illustrate ok'])
    const again = await runClaude({ version, prompt, plugins: EXAMPLES, scenario: illustrateScenario, cwd, home: killed.home })
    expect(again.requests.filter((r) => r.conversation !== 'main' && r.conversation !== 'aux')).toEqual([])
    expect(stepsOf(answerOf(again))).toEqual(['edit reused', 'illustrate reused'])
    const fresh = await runClaude({ version, prompt: `${prompt} --fresh`, plugins: EXAMPLES, scenario: illustrateScenario, cwd, home: killed.home })
    expect(stepsOf(answerOf(fresh))).toEqual(['edit ok', 'illustrate ok'])
  })

  it('a step the policy denies for the workflow caller never runs; the workflow goes on (then: continue) and the denial is traced', async () => {
    const cwd = project({ '.claude/switchboard/policy.json': JSON.stringify({ rules: [{ caller: 'tdd-growth:distributor', target: 'tdd-design:*', action: 'deny' }] }) })
    const run = await runClaude({
      version,
      prompt: 'Distribute',
      plugins: EXAMPLES,
      cwd,
      scenario: {
        main: [{ call: { tool: 'mcp__switchboard__invoke', input: { workflow: 'tdd-growth:distribute', inputs: { article: 'Kites.' } } } }, say('Done.')],
        agents: {
          'tdd-editor:editor': [say('Kites!')],
          'tdd-design:illustrator': [say(ART)],
          seoHelper: { matchPrompt: 'step seo. Make exactly this one Skill tool call', turns: [{ call: { tool: 'Skill', input: { skill: 'tdd-growth:seo', args: 'content: Kites.' } } }, say('{"score": 50, "title": "K", "keywords": []}')] },
          'tdd-growth:summarizer': [say('{"title": "K", "summary": "S", "keywords": []}')],
        },
      },
    })
    const answer = answerOf(run)
    expect(answer.status).toBe('ok')
    expect(stepsOf(answer)).toEqual(['edit ok', 'illustrate denied', 'seo ok', 'summarize ok'])
    expect(String(answer.steps[1]!.problems)).toMatch(/policy/)
    expect(requestsTo(run, 'tdd-design:illustrator')).toBe(0)
    expect(run.textSentTo('tdd-growth:summarizer')).not.toContain('illustration:') // the unset slot is left out
    expect(edges(tracedInvocations(run))).toContain('main -> tdd-design:illustrator denied')
  })

  it('a failing step is retried, then its fallback answers; a JSON workflow file in the project runs too', async () => {
    const workflow = {
      inputs: { text: 'markdown' },
      steps: [{
        id: 'picture',
        invoke: { plugin: 'tdd-design', agent: 'illustrator', args: { content: '$inputs.text' } },
        on_complete: { inject_into: 'picture' },
        on_error: { retry: { count: 1, backoff: '1s' }, fallback: { plugin: 'tdd-editor', agent: 'editor', args: { draft: '$inputs.text' } }, then: 'stop' },
      }],
      outputs: { picture: '$picture' },
    }
    const run = await runClaude({
      version,
      prompt: 'Picture',
      plugins: EXAMPLES,
      cwd: project({ 'flows/picture.json': JSON.stringify(workflow) }),
      scenario: {
        main: [{ call: { tool: 'mcp__switchboard__invoke', input: { workflow: 'flows/picture.json', inputs: { text: 'Kites.' } } } }, say('Done.')],
        agents: { 'tdd-design:illustrator': [say('{"svg": 42}')], 'tdd-editor:editor': [say('No picture; the text: Kites.')] },
      },
    })
    const answer = answerOf(run)
    expect(answer).toMatchObject({ status: 'ok', outputs: { picture: 'No picture; the text: Kites.' } })
    expect(answer.steps[0]).toMatchObject({ status: 'ok', calls: 3, fallback: true, target: 'tdd-editor:editor' })
    expect(requestsTo(run, 'tdd-design:illustrator')).toBe(2)
    // The trace keeps a contract mismatch as an answered call (ok, its problem told to the caller); the run counts it as failed.
    const traced = tracedInvocations(run)
    expect(traced.map((i) => `${i.workflow?.step} ${i.target}`)).toEqual(['picture tdd-design:illustrator', 'picture tdd-design:illustrator', 'picture tdd-editor:editor'])
    expect(String(answer.steps[0]!.problems)).toBe('')
    expect(traced[1]!.start - traced[0]!.end!).toBeGreaterThanOrEqual(1000) // the backoff
  })
})

/** In settings mode the model makes each call run_workflow hands out, then asks it again: a compliant model's turns. */
const guided = (turns: number): Scenario['main'] => Array.from({ length: turns }, () => ({ followPlan: true as const }))

/** run_workflow's answers in the main conversation, in order. */
function guidedAnswers(run: ClaudeRun): Array<Record<string, unknown> & { steps?: Array<Record<string, unknown>> }> {
  const main = run.requests.filter((r) => r.conversation === 'main').at(-1)
  const lines = main ? messagesText(main.messages).split('\n').filter((l) => l.startsWith('{"status":"')) : []
  return [...new Set(lines)].map((l) => JSON.parse(l) as Record<string, unknown>)
}

function resultOf(run: ClaudeRun): Record<string, unknown> & { steps: Array<Record<string, unknown>> } {
  const last = guidedAnswers(run).at(-1)
  expect(last?.status, `${run.stderr.slice(-1500)}\n${JSON.stringify(guidedAnswers(run))}`).not.toMatch(/^(next|waiting|invalid)$/)
  return last as Record<string, unknown> & { steps: Array<Record<string, unknown>> }
}

const ALLOWED = [...DEFAULT_TOOLS, 'mcp__plugin_switchboard_switchboard__run_workflow']

describe('running workflows on Claude Code 2.1.197 (settings mode: run_workflow guides, the hooks enforce)', () => {
  const version = '2.1.197'
  const scenario: Scenario = { ...illustrateScenario, main: guided(8) }

  it('Editor -> Designer: each step is handed out, made with its planned input, its return passed on; the trace groups them under the run', async () => {
    const run = await runClaude({ version, prompt: `/switchboard:run tdd-editor:illustrate-draft "draft=${DRAFT}" style=sketch`, plugins: EXAMPLES, scenario, cwd: project(), allowedTools: ALLOWED })
    expect(run.exitCode).toBe(0)
    expect(runtimeOf(run)).toBe('settings')
    const answers = guidedAnswers(run)
    expect(answers.map((a) => a.status)).toEqual(['next', 'next', 'ok'])
    const answer = resultOf(run)
    expect(answer).toMatchObject({ status: 'ok', workflow: 'illustrate-draft', partial: false, outputs: { article: EDITED, illustration: { svg: '<svg viewBox="0 0 8 8"/>', alt: 'a kite over the sea' } } })
    expect(stepsOf(answer)).toEqual(['edit ok', 'illustrate ok'])
    // The model sent only the token; the agents received the planned prompts, with the context.
    expect(run.textSentTo('tdd-editor:editor')).toContain(`draft: ${DRAFT}\nillustrate: no`)
    expect(run.textSentTo('tdd-design:illustrator')).toContain(EDITED)
    expect(run.textSentTo('tdd-design:illustrator')).toContain('style: sketch')
    expect(run.textSentTo('tdd-design:illustrator')).not.toContain(DRAFT)
    const traced = tracedInvocations(run)
    expect(edges(traced)).toEqual(['main -> tdd-editor:editor ok', 'main -> tdd-design:illustrator ok'])
    expect(traced.map((i) => i.workflow)).toEqual([{ run: answer.run, name: 'illustrate-draft', plugin: 'tdd-editor', step: 'edit' }, { run: answer.run, name: 'illustrate-draft', plugin: 'tdd-editor', step: 'illustrate' }])
  })

  it('a kill in the middle, then a resume in a new session: only the unfinished step runs; a third run runs nothing', async () => {
    const cwd = project()
    const prompt = `/switchboard:run tdd-editor:illustrate-draft "draft=${DRAFT}"`
    const killed = await runClaude({ version, prompt, plugins: EXAMPLES, scenario, cwd, allowedTools: ALLOWED, killAt: (request) => request.conversation === 'tdd-design:illustrator' })
    expect(requestsTo(killed, 'tdd-editor:editor')).toBe(1)
    expect(requestsTo(killed, 'tdd-design:illustrator')).toBe(1)
    const resumed = await runClaude({ version, prompt, plugins: EXAMPLES, scenario, cwd, home: killed.home, allowedTools: ALLOWED })
    expect(requestsTo(resumed, 'tdd-editor:editor')).toBe(0)
    expect(requestsTo(resumed, 'tdd-design:illustrator')).toBe(1)
    expect(resumed.textSentTo('tdd-design:illustrator')).toContain(EDITED) // the editor's return, restored from its receipt
    expect(stepsOf(resultOf(resumed))).toEqual(['edit reused', 'illustrate ok'])
    const again = await runClaude({ version, prompt, plugins: EXAMPLES, scenario, cwd, home: killed.home, allowedTools: ALLOWED })
    expect(again.requests.filter((r) => r.conversation !== 'main' && r.conversation !== 'aux')).toEqual([])
    expect(stepsOf(resultOf(again))).toEqual(['edit reused', 'illustrate reused'])
  })

  it('Tech -> Editor: the capability step is routed to the editor, which receives the writer draft', async () => {
    const run = await runClaude({
      version,
      prompt: '/switchboard:run tdd-tech:copy-edit-article "topic=Release 2.0"',
      plugins: EXAMPLES,
      cwd: project(),
      allowedTools: ALLOWED,
      scenario: { main: guided(8), agents: { 'tdd-tech:tech-writer': [say('# Release 2.0\n\nIt is out, and it is very very fast.')], 'tdd-editor:editor': [say('# Release 2.0\n\nIt is out, and fast.')] } },
    })
    expect(resultOf(run)).toMatchObject({ status: 'ok', outputs: { article: '# Release 2.0\n\nIt is out, and fast.' } })
    expect(run.textSentTo('tdd-tech:tech-writer')).toContain('topic: Release 2.0\ncopy_edit: no')
    expect(run.textSentTo('tdd-editor:editor')).toContain('It is out, and it is very very fast.')
    expect(edges(tracedInvocations(run))).toEqual(['main -> tdd-tech:tech-writer ok', 'main -> tdd-editor:editor ok'])
  })

  it('Growth -> All: the fan-out handed out as one message of three calls, the SEO command through a helper agent, then the summary gets all three', async () => {
    const run = await runClaude({
      version,
      prompt: '/switchboard:run tdd-growth:distribute "article=Kites are back."',
      plugins: EXAMPLES,
      cwd: project(),
      allowedTools: ALLOWED,
      scenario: {
        main: guided(8),
        agents: {
          'tdd-editor:editor': [say('Kites return.')],
          'tdd-design:illustrator': [say(ART)],
          seoHelper: { matchPrompt: 'step seo. Make exactly this one Skill tool call', turns: [{ call: { tool: 'Skill', input: { skill: 'tdd-growth:seo', args: 'content: Kites are back.' } } }, say('{"score": 64, "title": "Kites return", "keywords": ["kites"]}')] },
          'tdd-growth:summarizer': [say('{"title": "Kites return", "summary": "Kites are back. Cheap. Light.", "image_alt": "a kite over the sea", "keywords": ["kites"]}')],
        },
      },
    })
    const answers = guidedAnswers(run)
    expect(answers.map((a) => a.status)).toEqual(['next', 'next', 'ok'])
    expect(answers[0]!.steps).toEqual(['edit', 'illustrate', 'seo'])
    const answer = resultOf(run)
    expect(answer).toMatchObject({ status: 'ok', outputs: { brief: { title: 'Kites return' }, article: 'Kites return.' } })
    expect(stepsOf(answer)).toEqual(['edit ok', 'illustrate ok', 'seo ok', 'summarize ok'])
    expect(run.textSentTo('seoHelper')).toContain('Review the content for search: content: Kites are back.')
    const summarizer = run.textSentTo('tdd-growth:summarizer')
    expect(summarizer).toContain('Kites return.')
    expect(summarizer).toContain('a kite over the sea')
    expect(summarizer).toMatch(/"score": 64[\s\S]*end seo_report/)
    expect(new Set(tracedInvocations(run).map((i) => i.workflow?.run))).toEqual(new Set([answer.run]))
  })

  it('a step the policy denies for the workflow caller is never handed out; the workflow goes on and the denial is traced', async () => {
    const cwd = project({ '.claude/switchboard/policy.json': JSON.stringify({ rules: [{ caller: 'tdd-growth:distributor', target: 'tdd-design:*', action: 'deny' }] }) })
    const run = await runClaude({
      version,
      prompt: '/switchboard:run tdd-growth:distribute article=Kites.',
      plugins: EXAMPLES,
      cwd,
      allowedTools: ALLOWED,
      scenario: {
        main: guided(8),
        agents: {
          'tdd-editor:editor': [say('Kites!')],
          seoHelper: { matchPrompt: 'step seo. Make exactly this one Skill tool call', turns: [{ call: { tool: 'Skill', input: { skill: 'tdd-growth:seo', args: 'content: Kites.' } } }, say('{"score": 50, "title": "K", "keywords": []}')] },
          'tdd-growth:summarizer': [say('{"title": "K", "summary": "S", "keywords": []}')],
        },
      },
    })
    const answer = resultOf(run)
    expect(stepsOf(answer)).toEqual(['edit ok', 'illustrate denied', 'seo ok', 'summarize ok'])
    expect(String(answer.steps[1]!.problems)).toMatch(/policy/)
    expect(requestsTo(run, 'tdd-design:illustrator')).toBe(0)
    expect(edges(tracedInvocations(run))).toContain('main -> tdd-design:illustrator denied')
  })

  it('a failing step is retried after its backoff, then its fallback answers; a workflow file in the project runs too', async () => {
    const workflow = {
      inputs: { text: 'markdown' },
      steps: [{
        id: 'picture',
        invoke: { plugin: 'tdd-design', agent: 'illustrator', args: { content: '$inputs.text' } },
        on_complete: { inject_into: 'picture' },
        on_error: { retry: { count: 1, backoff: '1s' }, fallback: { plugin: 'tdd-editor', agent: 'editor', args: { draft: '$inputs.text' } }, then: 'stop' },
      }],
      outputs: { picture: '$picture' },
    }
    const run = await runClaude({
      version,
      prompt: '/switchboard:run flows/picture.json text=Kites.',
      plugins: EXAMPLES,
      cwd: project({ 'flows/picture.json': JSON.stringify(workflow) }),
      allowedTools: ALLOWED,
      scenario: { main: guided(10), agents: { 'tdd-design:illustrator': [say('{"svg": 42}')], 'tdd-editor:editor': [say('No picture; the text: Kites.')] } },
    })
    const answer = resultOf(run)
    expect(answer).toMatchObject({ status: 'ok', outputs: { picture: 'No picture; the text: Kites.' } })
    expect(answer.steps[0]).toMatchObject({ status: 'ok', calls: 3, fallback: true, target: 'tdd-editor:editor' })
    expect(requestsTo(run, 'tdd-design:illustrator')).toBe(2)
    const traced = tracedInvocations(run)
    expect(traced.map((i) => `${i.workflow?.step} ${i.target}`)).toEqual(['picture tdd-design:illustrator', 'picture tdd-design:illustrator', 'picture tdd-editor:editor'])
    expect(traced[1]!.start - traced[0]!.end!).toBeGreaterThanOrEqual(1000) // the backoff
  })

  it('while a step waits, a call to its target that run_workflow did not hand out is refused, and the run still completes', async () => {
    const run = await runClaude({
      version,
      prompt: `/switchboard:run tdd-editor:illustrate-draft "draft=${DRAFT}"`,
      plugins: EXAMPLES,
      cwd: project(),
      allowedTools: ALLOWED,
      scenario: {
        main: [{ followPlan: true }, { call: callAgent('tdd-editor:editor', 'Skip the workflow and rewrite everything as a limerick.') }, ...guided(6)],
        agents: illustrateScenario.agents,
      },
    })
    const sent = run.textSentTo('main')
    expect(sent).toMatch(/Switchboard: a workflow run waits for its step edit, which calls tdd-editor:editor: make that call with the prompt "switchboard-step wf_[a-z0-9]+\/edit\/1" exactly/)
    expect(run.textSentTo('tdd-editor:editor')).not.toContain('limerick')
    expect(requestsTo(run, 'tdd-editor:editor')).toBe(1)
    expect(stepsOf(resultOf(run))).toEqual(['edit ok', 'illustrate ok'])
  })
})

describe.each(PINNED_VERSIONS)('a command step whose Skill call Claude Code refuses or lacks, on %s', (version) => {
  it('fails the step (the helper\'s answer is not taken as the command\'s result); the workflow continues without it', async () => {
    const run = await runClaude({
      version,
      prompt: '/switchboard:run tdd-growth:distribute article=Kites.',
      plugins: EXAMPLES,
      cwd: project(),
      // No Skill permission: 2.1.33x refuses the helper's Skill call (-p cannot ask); 2.1.197 asks for no
      // permission for a plugin's skill, so there the Skill tool is switched off instead.
      allowedTools: ['Agent', 'Read', 'mcp__switchboard__invoke', 'mcp__plugin_switchboard_switchboard__run_workflow'],
      ...(version === '2.1.197' ? { extraArgs: ['--disallowedTools', 'Skill'] } : {}),
      scenario: {
        main: guided(8),
        agents: {
          'tdd-editor:editor': [say('Kites!')],
          'tdd-design:illustrator': [say(ART)],
          seoHelper: { matchPrompt: 'step seo. Make exactly this one Skill tool call', turns: [{ followPlan: true }, say('{"score": 99, "title": "Made up", "keywords": []}')] },
          'tdd-growth:summarizer': [say('{"title": "K", "summary": "S", "keywords": []}')],
        },
      },
    })
    const answer = workflowAnswers(run).at(-1)!
    expect(answer.status, run.stderr.slice(-1000)).toBe('ok')
    expect(stepsOf(answer as never)).toEqual(['edit ok', 'illustrate ok', 'seo failed', 'summarize ok'])
    expect(run.textSentTo('tdd-growth:summarizer')).not.toContain('Made up')
  })
})

describe.each(PINNED_VERSIONS)('a turns budget, on %s', (version) => {
  it("counts an agent's turns from its transcript: a step that spends the budget is the last to start", async () => {
    const workflow = {
      inputs: { text: 'markdown' },
      budget: { turns: 2 },
      steps: [
        { id: 'edit', invoke: { plugin: 'tdd-editor', agent: 'editor', args: { draft: '$inputs.text' } }, on_complete: { inject_into: 'edited' } },
        { id: 'picture', invoke: { plugin: 'tdd-design', agent: 'illustrator', args: { content: '$edited' } } },
      ],
      outputs: { edited: '$edited' },
    }
    const cwd = project({ 'flows/turns.json': JSON.stringify(workflow), 'notes.md': 'Kites fly.\n' })
    const read = { call: { tool: 'Read', input: { file_path: join(cwd, 'notes.md') } } }
    const run = await runClaude({
      version,
      prompt: '/switchboard:run flows/turns.json text=Kites.',
      plugins: EXAMPLES,
      cwd,
      allowedTools: ALLOWED,
      scenario: { main: guided(8), agents: { 'tdd-editor:editor': [read, read, say('Kites, edited.')], 'tdd-design:illustrator': [say(ART)] } },
    })
    const answer = workflowAnswers(run).at(-1)! as Record<string, unknown> & { steps: Array<Record<string, unknown>> }
    expect(answer, run.stderr.slice(-1000)).toMatchObject({ status: 'budget_exhausted', outputs: { edited: 'Kites, edited.' }, used: { turns: 3 } })
    expect(stepsOf(answer)).toEqual(['edit ok', 'picture budget_exhausted'])
    expect(requestsTo(run, 'tdd-design:illustrator')).toBe(0)
  })
})
