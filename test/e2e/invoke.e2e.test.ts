// /switchboard:invoke typed as a prompt, on every pinned Claude Code version. In settings mode (2.1.197)
// the command hands the line to plan_call and a compliant model makes the planned call; where the hooks
// module runs (2.1.332, 2.1.331) the module rewrites the command to name its invoke tool, which makes the
// call itself and answers typed JSON. The same request reaches the same target either way.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import { edges, expectedRuntime, tracedInvocations } from '../helpers/trace.ts'
import { runClaude, say } from '../harness/index.ts'
import { EXAMPLES, FIXTURE } from '../helpers/plugins.ts'
import { firstToolUse, invokeAnswers } from '../helpers/conversation.ts'
import { PLUGIN } from '../helpers/cli.ts'

function projectWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-invoke-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

describe.each(PINNED_VERSIONS)('/switchboard:invoke on Claude Code %s', (version) => {
  it('leads to the right Agent call, with a file argument passed in the envelope', async () => {
    const run = await runClaude({
      version,
      prompt: '/switchboard:invoke tdd-design:illustrator content=@draft.md style=flat --into illustration',
      cwd: projectWith({ 'draft.md': '# Solar kites\nKITE-DRAFT-3141: kites that charge while they fly.' }),
      plugins: EXAMPLES,
      scenario: {
        main: [{ followPlan: true }, { followPlan: true }, say('Illustrated.')],
        agents: {
          'tdd-design:illustrator': [
            say('{"svg": "<svg viewBox=\\"0 0 640 360\\"/>", "alt": "a kite charging in the sun"}'),
          ],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    if (expectedRuntime(version) === 'module') {
      expect(run.textSentTo('main')).not.toContain('Call the `plan_call` tool')
      expect(invokeAnswers(run)).toEqual([
        expect.objectContaining({
          status: 'ok',
          target: 'tdd-design:illustrator',
          slot: 'illustration',
          value: { svg: '<svg viewBox="0 0 640 360"/>', alt: 'a kite charging in the sun' },
        }),
      ])
    } else {
      expect(run.textSentTo('main')).toContain(
        'Switchboard plan: call tdd-design:illustrator (agent) with the Agent tool.',
      )
    }
    expect(run.textSentTo('tdd-design:illustrator')).toContain('KITE-DRAFT-3141')
    expect(run.textSentTo('tdd-design:illustrator')).toMatch(/request ===\ncontent: \[context "content"\]\nstyle: flat/)
    expect(edges(tracedInvocations(run))).toEqual(['main -> tdd-design:illustrator ok'])
    expect(tracedInvocations(run)[0]).toMatchObject({ into: 'illustration' })
  })

  it('leads to the right Skill call for a command target', async () => {
    const run = await runClaude({
      version,
      prompt: '/switchboard:invoke tdd-growth:seo content="Solar kites charge while they fly"',
      plugins: EXAMPLES,
      scenario: { main: [{ followPlan: true }, { followPlan: true }, say('Reviewed.')] },
    })
    expect(run.exitCode).toBe(0)
    // In module mode the invoke tool checks it and answers use_skill_tool with this very call: a skill runs in its caller's conversation.
    if (expectedRuntime(version) === 'module')
      expect(invokeAnswers(run)).toEqual([
        expect.objectContaining({ status: 'use_skill_tool', target: 'tdd-growth:seo', kind: 'command' }),
      ])
    expect(firstToolUse(run, 'Skill')?.input).toEqual({
      skill: 'tdd-growth:seo',
      args: 'content: Solar kites charge while they fly',
    })
    expect(edges(tracedInvocations(run))).toEqual(['main -> tdd-growth:seo ok'])
  })

  it('answers a bad target with a clear message and no call', async () => {
    const run = await runClaude({
      version,
      prompt: '/switchboard:invoke tdd-design:sketcher style=flat',
      plugins: EXAMPLES,
      scenario: { main: [{ followPlan: true }, { followPlan: true }] },
    })
    expect(run.exitCode).toBe(0)
    const said =
      'Switchboard cannot make this call: the guard refuses this call. missing: plugin "tdd-design" has no agent "tdd-design:sketcher". It has: tdd-design:illustrator, tdd-design:palette.'
    if (expectedRuntime(version) === 'module')
      expect(invokeAnswers(run)).toEqual([
        expect.objectContaining({ status: 'denied', message: expect.stringContaining(said) }),
      ])
    else expect(run.textSentTo('main')).toContain(said)
    // The invoke tool made the attempt, so the trace shows it denied; plan_call only planned, so nothing was called.
    expect(edges(tracedInvocations(run))).toEqual(
      expectedRuntime(version) === 'module' ? ['main -> tdd-design:sketcher denied'] : [],
    )
    expect(run.requests.filter((r) => r.conversation !== 'main' && r.conversation !== 'aux')).toEqual([])
  })
})

describe.each(PINNED_VERSIONS)('/switchboard:invoke with a line that cannot be read, on Claude Code %s', (version) => {
  // Found by a newcomer: a quote never closed was taken as closed at the end, and swallowed the words after it
  // (the target got "unterminated length=short"); a shell refuses such a line, and so does Switchboard.
  it('refuses a quote never closed, and --into given twice, with no call', async () => {
    for (const [line, said] of [
      ['tdd-design:illustrator content="unterminated style=flat', 'the double quote at character 32 is never closed'],
      ['tdd-design:illustrator content=x --into a --into b', '--into is given twice; give it once'],
    ] as const) {
      const run = await runClaude({
        version,
        prompt: `/switchboard:invoke ${line}`,
        plugins: EXAMPLES,
        scenario: { main: [{ followPlan: true }, { followPlan: true }] },
      })
      expect(run.exitCode).toBe(0)
      if (expectedRuntime(version) === 'module')
        expect(invokeAnswers(run)).toEqual([
          expect.objectContaining({ status: 'invalid', message: expect.stringContaining(said) }),
        ])
      else expect(run.textSentTo('main')).toContain(said)
      expect(run.requests.filter((r) => r.conversation !== 'main' && r.conversation !== 'aux')).toEqual([])
    }
  })
})

describe.each(PINNED_VERSIONS)('/switchboard:invoke with a long inline value, on Claude Code %s', (version) => {
  // Found by a newcomer on 2.1.197: with a 60,000-character value, plan_call's answer passed the length past which
  // Claude Code saves a tool's answer to a file and shows a 2 KB preview, and no call was made, nor said why. The
  // module's invoke tool makes such a call itself; plan_call now says to store the value as a slot first.
  it('is called where the module runs, and refused with the fix where plan_call plans it', async () => {
    const long = `LONG-START ${'Kites ride the wind. '.repeat(3_000)}LONG-END`
    const run = await runClaude({
      version,
      prompt: `/switchboard:invoke tdd-design:illustrator content="${long}"`,
      plugins: EXAMPLES,
      scenario: {
        main: [{ followPlan: true }, { followPlan: true }],
        agents: { 'tdd-design:illustrator': [say('DRAWN')] },
      },
    })
    expect(run.exitCode).toBe(0)
    if (expectedRuntime(version) === 'module') {
      expect(run.textSentTo('tdd-design:illustrator')).toContain('LONG-END')
    } else {
      expect(run.textSentTo('main')).toMatch(
        /the planned call is \d+ characters, over the 48000 a tool's answer carries/,
      )
      expect(run.requests.filter((r) => r.conversation === 'tdd-design:illustrator')).toEqual([])
    }
  })
})

describe.each(PINNED_VERSIONS)('capability routing on Claude Code %s', (version) => {
  it('routes copy-editing@^1 to the highest provider in range and says why', async () => {
    const run = await runClaude({
      version,
      prompt: '/switchboard:invoke copy-editing@^1 draft="Kites, they fly."',
      plugins: [...EXAMPLES, FIXTURE('tdd-copydesk')],
      scenario: {
        main: [{ followPlan: true }, { followPlan: true }, say('Proofread.')],
        agents: { 'tdd-copydesk:proofreader': [say('Kites fly.')] },
      },
    })
    expect(run.exitCode).toBe(0)
    const route =
      'tdd-copydesk:proofreader provides copy-editing 1.2.0, the highest version in ^1; also in range: tdd-editor:editor (1.0.0).'
    if (expectedRuntime(version) === 'module')
      expect(invokeAnswers(run)).toEqual([
        expect.objectContaining({ status: 'ok', target: 'tdd-copydesk:proofreader', route, value: 'Kites fly.' }),
      ])
    else expect(run.textSentTo('main')).toContain(`Switchboard routed the request: ${route}`)
    expect(edges(tracedInvocations(run))).toEqual(['main -> tdd-copydesk:proofreader ok'])
  })

  it('explains an ambiguous request and makes no call', async () => {
    const run = await runClaude({
      version,
      prompt: '/switchboard:invoke copy-editing@^1.1 draft=x',
      plugins: [...EXAMPLES, FIXTURE('tdd-copydesk'), FIXTURE('tdd-copyroom')],
      scenario: { main: [{ followPlan: true }, { followPlan: true }] },
    })
    const said =
      'Switchboard cannot make this call: cannot route copy-editing@^1.1: 2 components provide copy-editing 1.2.0: tdd-copydesk:proofreader, tdd-copyroom:checker. Call one of them by its id.'
    if (expectedRuntime(version) === 'module')
      expect(invokeAnswers(run)).toEqual([
        expect.objectContaining({ status: 'invalid', message: expect.stringContaining(said) }),
      ])
    else expect(run.textSentTo('main')).toContain(said)
    expect(tracedInvocations(run)).toEqual([])
  })
})

// In module mode the invoke tool routes capability requests and runs workflows with Switchboard's MCP
// server (the module carries no semver, no YAML parser and no run engine). Without that server a request it cannot
// serve answers why and how to fix it, and a call by component id still works. (Without the server,
// `$.mcp.connect("switchboard")` reaches the loopback server Claude Code runs for the registered invoke
// tool, which shares the name: the call then fails as "did not answer", 2.1.332.)
describe.each(PINNED_VERSIONS.filter((v) => expectedRuntime(v) === 'module'))(
  "the invoke tool without Switchboard's MCP server on Claude Code %s",
  (version) => {
    it('answers a capability request and a workflow with the fix, and still calls a component by id', async () => {
      const withoutServer = join(mkdtempSync(join(tmpdir(), 'switchboard-no-mcp-')), 'switchboard')
      cpSync(PLUGIN, withoutServer, { recursive: true })
      rmSync(join(withoutServer, '.mcp.json'))
      const invoke = (input: Record<string, unknown>) => ({ call: { tool: 'SwitchboardInvoke', input } })
      const run = await runClaude({
        version,
        prompt: 'Route these',
        withSwitchboard: false,
        plugins: [withoutServer, ...EXAMPLES],
        scenario: {
          main: [
            invoke({ target: 'copy-editing@^1', args: { draft: 'Kites.' } }),
            invoke({ workflow: 'tdd-tech:copy-edit-article', inputs: { topic: 'Kites' } }),
            invoke({ target: 'tdd-editor:editor', args: { draft: 'Kites, they fly.' } }),
            say('Done.'),
          ],
          agents: { 'tdd-editor:editor': [say('Kites fly.')] },
        },
      })
      expect(run.exitCode).toBe(0)
      const answers = invokeAnswers(run)
      expect(answers.map((a) => a.status)).toEqual(['invalid', 'invalid', 'ok'])
      expect(answers[0]!.message).toMatch(
        /cannot route copy-editing@\^1: Switchboard routes capability requests with its MCP server: Switchboard's MCP server (is not connected|did not answer route_capabilities) .*\/mcp shows its state/,
      )
      expect(String((answers[1]!.problems as string[])[0])).toMatch(
        /^Switchboard runs workflows with its MCP server: Switchboard's MCP server (is not connected|did not answer drive_workflow) .*\/mcp shows its state/,
      )
      expect(answers[2]).toMatchObject({ target: 'tdd-editor:editor', value: 'Kites fly.' })
      expect(edges(tracedInvocations(run))).toEqual(['main -> tdd-editor:editor ok'])
    })
  },
)
