// /switchboard:invoke typed as a prompt, on every pinned Claude Code version: the command expands
// (its `!` line runs the bundled planner) into the exact tool call, which a compliant model makes.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import { edges, tracedInvocations } from '../helpers/trace.ts'
import { runClaude, say, SWITCHBOARD_ROOT } from '../harness/index.ts'
import { EXAMPLES, FIXTURE } from '../helpers/plugins.ts'
import { firstToolUse } from '../helpers/conversation.ts'


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
        agents: { 'tdd-design:illustrator': [say('{"svg": "<svg viewBox=\\"0 0 640 360\\"/>", "alt": "a kite charging in the sun"}')] },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(run.textSentTo('main')).toContain('Switchboard plan: call tdd-design:illustrator (agent) with the Agent tool.')
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
    expect(firstToolUse(run, 'Skill')?.input).toEqual({ skill: 'tdd-growth:seo', args: 'content: Solar kites charge while they fly' })
    expect(edges(tracedInvocations(run))).toEqual(['main -> tdd-growth:seo ok'])
  })

  it('answers a bad target with a clear message and no call', async () => {
    const run = await runClaude({ version, prompt: '/switchboard:invoke tdd-design:sketcher style=flat', plugins: EXAMPLES, scenario: { main: [{ followPlan: true }, { followPlan: true }] } })
    expect(run.exitCode).toBe(0)
    expect(run.textSentTo('main')).toContain('Switchboard cannot make this call: the guard refuses this call. missing: plugin "tdd-design" has no agent "tdd-design:sketcher". It has: tdd-design:illustrator, tdd-design:palette.')
    expect(tracedInvocations(run)).toEqual([])
    expect(run.requests.filter((r) => r.conversation !== 'main' && r.conversation !== 'aux')).toEqual([])
  })
})


describe.each(PINNED_VERSIONS)('capability routing on Claude Code %s', (version) => {
  it('routes copy-editing@^1 to the highest provider in range and says why', async () => {
    const run = await runClaude({
      version,
      prompt: '/switchboard:invoke copy-editing@^1 draft="Kites, they fly."',
      plugins: [...EXAMPLES, FIXTURE('tdd-copydesk')],
      scenario: { main: [{ followPlan: true }, { followPlan: true }, say('Proofread.')], agents: { 'tdd-copydesk:proofreader': [say('Kites fly.')] } },
    })
    expect(run.exitCode).toBe(0)
    expect(run.textSentTo('main')).toContain('Switchboard routed the request: tdd-copydesk:proofreader provides copy-editing 1.2.0, the highest version in ^1; also in range: tdd-editor:editor (1.0.0).')
    expect(edges(tracedInvocations(run))).toEqual(['main -> tdd-copydesk:proofreader ok'])
  })

  it('explains an ambiguous request and makes no call', async () => {
    const run = await runClaude({
      version,
      prompt: '/switchboard:invoke copy-editing@^1.1 draft=x',
      plugins: [...EXAMPLES, FIXTURE('tdd-copydesk'), FIXTURE('tdd-copyroom')],
      scenario: { main: [{ followPlan: true }, { followPlan: true }] },
    })
    expect(run.textSentTo('main')).toContain('Switchboard cannot make this call: cannot route copy-editing@^1.1: 2 components provide copy-editing 1.2.0: tdd-copydesk:proofreader, tdd-copyroom:checker. Call one of them by its id.')
    expect(tracedInvocations(run)).toEqual([])
  })
})
