// run_workflow in process (settings mode's runner): it hands out the first wave's calls as tokens and
// keeps the run in the session folder; a run whose workflow file changed under it is refused, not
// driven with steps that no longer match its state.
import { routeCapability } from '../../src/resolve/index.ts'
import { mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runWorkflowTool } from '../../src/mcp/run-workflow-tool.ts'
import { planWorkflowTool } from '../../src/mcp/workflow-tool.ts'
import { inputTypeProblem } from '../../src/workflow/inputs.ts'
import { buildRegistry } from '../../src/registry/index.ts'
import { appendRecord, recordSessionProcess } from '../../src/trace/index.ts'
import {
  boundedPatternTest,
  readWorkflowFile,
  receiptFileName,
  receiptsFolder,
  workflowKey,
} from '../../src/workflow/index.ts'
import { REPO } from '../helpers/cli.ts'
import { policy } from '../helpers/workflows.ts'
import { drive, ok } from '../workflow/run-driver.ts'
import { hookSession } from '../helpers/hooks.ts'

const workflow = (first: string) => ({
  inputs: { text: 'markdown' },
  steps: [
    {
      id: first,
      invoke: { plugin: 'tdd-editor', agent: 'editor', args: { draft: '$inputs.text' } },
      on_complete: { inject_into: 'edited' },
    },
    { id: 'picture', invoke: { plugin: 'tdd-design', agent: 'illustrator', args: { content: '$edited' } } },
  ],
})

describe('run_workflow', () => {
  it('hands out the first step as a token-only Agent call, and refuses to go on once the steps changed', async () => {
    const s = hookSession('run-workflow-session')
    recordSessionProcess(s.data, process.pid, s.sessionId) // this process plays the Claude Code that started the server
    writeFileSync(join(s.home, 'flow.json'), JSON.stringify(workflow('edit')))
    const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
    const started = JSON.parse(await runWorkflowTool(environment, { line: 'flow.json text=Kites.' }))
    expect(started).toMatchObject({ status: 'next', steps: ['edit'] })
    expect(started.calls).toEqual([
      {
        tool: 'Agent',
        input: {
          subagent_type: 'tdd-editor:editor',
          description: 'Workflow step edit',
          prompt: expect.stringMatching(/^switchboard-step wf_[a-z0-9]+\/edit\/1$/),
          run_in_background: false,
        },
      },
    ])
    // The step is not made yet: asked again, run_workflow hands out the same call.
    expect(JSON.parse(await runWorkflowTool(environment, { run: started.run })).calls).toEqual(started.calls)
    writeFileSync(join(s.home, 'flow.json'), JSON.stringify(workflow('copy_edit')))
    const changed = JSON.parse(await runWorkflowTool(environment, { run: started.run }))
    expect(changed).toMatchObject({
      status: 'invalid',
      problems: [expect.stringContaining("the workflow's steps changed since run")],
    })
    expect(JSON.parse(await runWorkflowTool(environment, { run: started.run })).problems[0]).toContain(
      'has no workflow run',
    )
  })

  it('answers a wrong request with the fix, and runs nothing', async () => {
    const s = hookSession('run-workflow-wrong')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
    expect(JSON.parse(await runWorkflowTool(environment, {}))).toMatchObject({
      status: 'invalid',
      problems: ['Give either line (to start a run) or run (to go on with one), not both.'],
    })
    expect(JSON.parse(await runWorkflowTool(environment, { line: 'tdd-editor:nope' })).problems[0]).toContain(
      'Switchboard has no workflow tdd-editor:nope',
    )
    expect(JSON.parse(await runWorkflowTool(environment, { line: 'flow.json draft' })).problems[0]).toContain(
      '"draft" is not input=value',
    )
  })
})

describe('files the workflow tools read for the model', () => {
  it("read only what the model's own Read could: a Read deny rule holds for inputs and for the workflow file", async () => {
    const s = hookSession('workflow-read-deny')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    const secret = 'DB_PASSWORD=hunter2'
    writeFileSync(join(s.home, '.env'), `${secret}\n`)
    writeFileSync(join(s.home, 'flow.json'), JSON.stringify(workflow('edit')))
    writeFileSync(join(s.home, 'secret-flow.json'), JSON.stringify(workflow('edit')))
    mkdirSync(join(s.home, '.claude'), { recursive: true })
    writeFileSync(
      join(s.home, '.claude', 'settings.json'),
      JSON.stringify({ permissions: { deny: ['Read(./.env)', 'Read(./secret-flow.json)'] } }),
    )
    const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
    const run = JSON.parse(await runWorkflowTool(environment, { line: 'flow.json text=@.env' }))
    expect(run).toMatchObject({ status: 'invalid', problems: [expect.stringMatching(/^input "text": .*\.env/)] })
    expect(JSON.stringify(run)).not.toContain('hunter2')
    const planned = await planWorkflowTool(environment, { line: 'flow.json text=@.env' })
    expect(planned).toMatch(/^input "text": /)
    expect(planned).not.toContain('hunter2')
    expect(await planWorkflowTool(environment, { line: 'secret-flow.json text=x' })).toMatch(
      /^Switchboard cannot read secret-flow\.json: /,
    )
  })

  it('never repeats a whole input in a type error: it may be a file', async () => {
    expect(inputTypeProblem('flat|sketch', `${'x'.repeat(100)}SECRET`)).toBe(
      `"${'x'.repeat(40)}…" is not one of flat, sketch.`,
    )
  })
})

describe('receipts run_workflow reuses', () => {
  it('reuses a private step for the main thread, but not while a plugin component runs (it may be the one asking)', async () => {
    // A project workflow calling tdd-design's private palette: the user (main) may call it; another
    // plugin's agent may not, and run_workflow is not told which loop asks.
    const file = 'palette.json'
    const flow = {
      steps: [
        {
          id: 'pick',
          invoke: { plugin: 'tdd-design', agent: 'palette', prompt: 'Brand colours.' },
          on_complete: { inject_into: 'colours' },
        },
      ],
      outputs: { colours: '$colours' },
    }
    const s = hookSession('reuse-private')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    writeFileSync(join(s.home, file), JSON.stringify(flow))
    const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
    // An earlier run's receipt, as the engine writes it (the same workflow, registry and policy).
    const workflow = readWorkflowFile(realpathSync(join(s.home, file))).value!
    const earlier = drive(
      { workflow, context: { snapshot: registryOf(s), policy: policy(), route: routeCapability } },
      () => ok('#123456'),
    )
    const folder = receiptsFolder(s.data, realpathSync(s.home), workflowKey({ file: realpathSync(join(s.home, file)) }))
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, receiptFileName('pick')), JSON.stringify(earlier.receipts.pick))
    const asMain = JSON.parse(await runWorkflowTool(environment, { line: file }))
    expect(asMain).toMatchObject({
      status: 'ok',
      outputs: { colours: '#123456' },
      steps: [{ id: 'pick', status: 'reused' }],
    })
    // A plugin agent is running in the session: the step is called again, for the hooks to judge.
    appendRecord(s.dir, {
      e: 'call',
      id: 'toolu_agent',
      parent: null,
      caller: 'main',
      callerAgent: null,
      target: 'tdd-editor:editor',
      kind: 'agent',
      ts: Date.now(),
      status: 'running',
    })
    const whileAgentRuns = JSON.parse(await runWorkflowTool(environment, { line: file }))
    expect(whileAgentRuns).toMatchObject({ status: 'next', steps: ['pick'] })
    expect(whileAgentRuns.calls[0].input.subagent_type).toBe('tdd-design:palette')
  })
})

/** The registry hookSession's hooks read: tdd-editor and tdd-design from the examples. */
function registryOf(s: { env: Record<string, string> }) {
  return buildRegistry({
    cwd: REPO,
    env: { HOME: s.env.HOME },
    installed: false,
    pluginDirs: ['tdd-editor', 'tdd-design'].map((p) => join(REPO, 'examples', p)),
  })
}

describe('a when.matches pattern that backtracks without end', () => {
  // safe-regex2 refuses a repetition nested in another at parse; an alternation whose branches overlap
  // under a repetition ([a-z] and [a-m]) passes it and backtracks exponentially on a value that almost
  // matches. Node's regular expressions have no timeout, and the run advances under the session lock.
  it('fails the step with the reason instead of holding the MCP server (and the lock) for hours', async () => {
    const s = hookSession('run-workflow-redos')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    const hostile = {
      inputs: { text: 'markdown' },
      steps: [
        {
          id: 'edit',
          when: { input: 'text', matches: '^([a-z]|[a-m])+$' },
          invoke: { plugin: 'tdd-editor', agent: 'editor', args: { draft: '$inputs.text' } },
        },
      ],
    }
    writeFileSync(join(s.home, 'flow.json'), JSON.stringify(hostile))
    const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
    const answer = JSON.parse(await runWorkflowTool(environment, { line: `flow.json text=${'a'.repeat(40)}!` }))
    expect(answer.status).not.toBe('next')
    expect(JSON.stringify(answer)).toContain('took longer than')
    // The same pattern on a value it matches at once still decides the step.
    const fine = JSON.parse(await runWorkflowTool(environment, { line: 'flow.json text=kites --fresh' }))
    expect(fine).toMatchObject({ status: 'next', steps: ['edit'] })
  }, 20_000)
})

describe("boundedPatternTest's budget", () => {
  it('stops each test at its limit, and tests nothing once one call of the runner spent its budget', () => {
    const test = boundedPatternTest(700)
    const hostile = `${'a'.repeat(40)}!`
    const started = performance.now()
    expect(() => test('^([a-z]|[a-m])+$', hostile)).toThrow(/took longer than 500 ms/)
    // Each next one gets what is left, until none is (a timer can fire a fraction of a millisecond early, so the
    // second may leave a sliver: a few more tries spend it), and then nothing is tested at all.
    let stops = 1
    for (; stops < 6; stops++) {
      const message = (() => {
        try {
          test('^([a-z]|[a-m])+$', hostile)
          return 'tested'
        } catch (thrown) {
          return (thrown as Error).message
        }
      })()
      if (/spent the 700 ms/.test(message)) break
      expect(message).toMatch(/took longer than \d+ ms/)
    }
    expect(stops).toBeLessThan(6)
    expect(() => test('^(yes|ok)$', 'yes')).toThrow(/spent the 700 ms/)
    // A few stopped tests, then none: the budget held, give or take the machine.
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(boundedPatternTest()('^(yes|ok)$', 'yes')).toBe(true)
  })
})

// Found by review: the run file in the session folder, which a model's Bash step can write, was taken whole: a
// `folder` key sent the receipts into any folder (a step named settings replaced ~/.claude/settings.json), and its
// state forged step outcomes and reset the calls count. It is sealed with a key the server holds in memory.
describe("a settings-mode run's state in the session folder", () => {
  it('goes on only as the server left it: a forged folder or state is refused, and nothing is written', async () => {
    const s = hookSession('run-workflow-forged')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    writeFileSync(join(s.home, 'flow.json'), JSON.stringify(workflow('settings')))
    const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
    const started = JSON.parse(await runWorkflowTool(environment, { line: 'flow.json text=Kites.' }))
    expect(started).toMatchObject({ status: 'next' })
    const runFile = join(s.dir, 'workflow-runs', `${started.run}.json`)
    const sealed = readFileSync(runFile, 'utf8')
    const victim = join(s.home, 'elsewhere', '.claude')
    mkdirSync(victim, { recursive: true })
    const stored = JSON.parse(JSON.parse(sealed).run)
    const refused = (forged: unknown) => {
      writeFileSync(runFile, JSON.stringify(forged))
      return runWorkflowTool(environment, { run: started.run }).then((answer) => JSON.parse(answer))
    }
    const notAsLeft = [expect.stringContaining('its file in the session folder is not as this server left it')]
    // Inside the seal, or the file as it was written before it was sealed: refused.
    expect(
      (await refused({ run: JSON.stringify({ ...stored, folder: victim }), mac: JSON.parse(sealed).mac })).problems,
    ).toEqual(notAsLeft)
    expect((await refused({ ...stored, folder: victim })).problems).toEqual(notAsLeft)
    const counted = { ...stored, state: { ...stored.state, calls: 0 } }
    expect((await refused({ run: JSON.stringify(counted), mac: JSON.parse(sealed).mac })).problems).toEqual(notAsLeft)
    // Beside an intact seal: not read.
    expect(await refused({ ...JSON.parse(sealed), folder: victim })).toMatchObject({ status: 'next' })
    expect(readdirSync(victim)).toEqual([])
  })

  it('keeps no receipts where a folder of theirs is a link: the run does not start', async () => {
    const s = hookSession('run-workflow-receipts-link')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    writeFileSync(join(s.home, 'flow.json'), JSON.stringify(workflow('edit')))
    const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
    const folder = receiptsFolder(
      s.data,
      realpathSync(s.home),
      workflowKey({ file: realpathSync(join(s.home, 'flow.json')) }),
    )
    const victim = join(s.home, 'victim-dir')
    mkdirSync(victim, { recursive: true })
    mkdirSync(join(folder, '..'), { recursive: true })
    symlinkSync(victim, folder)
    const refused = JSON.parse(await runWorkflowTool(environment, { line: 'flow.json text=Kites.' }))
    expect(refused.problems).toEqual([
      `${folder} is a link, and Switchboard keeps a workflow's receipts only in folders of its own. Remove the link, then run the workflow again.`,
    ])
    expect(readdirSync(victim)).toEqual([])
  })
})
