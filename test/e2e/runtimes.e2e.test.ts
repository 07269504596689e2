// What the hooks module adds, on every pinned version: where it runs (2.1.332, 2.1.331) a background
// agent's contract mismatch reaches its caller with the report, and parallel spawns of one agent type
// each hang under their true parent; where it does not (2.1.197) the settings hooks do the job.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import { edges, expectedRuntime, runtimeOf, tracedInvocations } from '../helpers/trace.ts'
import { callAgent, DEFAULT_TOOLS, runClaude, say } from '../harness/index.ts'
import { EXAMPLES } from '../helpers/plugins.ts'

describe.each(PINNED_VERSIONS)('the runtimes on Claude Code %s', (version) => {
  it("tells the main thread when an agent's return breaks its contract, foreground or background", async () => {
    const run = await runClaude({
      version,
      prompt: 'Illustrate',
      plugins: EXAMPLES,
      scenario: { main: [{ call: callAgent('tdd-design:illustrator', 'Draw a kite. [[switchboard into=art]]') }, say('Done.')], agents: { 'tdd-design:illustrator': [say('{"svg": 42}')] } },
    })
    expect(run.exitCode).toBe(0)
    expect(runtimeOf(run)).toBe(expectedRuntime(version))
    // 2.1.33x runs it in the background: before the hooks module the main thread was never told.
    expect(run.textSentTo('main')).toMatch(/Switchboard: the return of tdd-design:illustrator \(\S+\) does not match its output contract/)
  })

  it('parents eight parallel spawns of one agent type, and their own calls, exactly', async () => {
    const editors = Array.from({ length: 8 }, (_, i) => callAgent('tdd-editor:editor', `Edit version ${i + 1}.`))
    const run = await runClaude({
      version,
      prompt: 'Distribute the article',
      plugins: EXAMPLES,
      scenario: {
        main: [{ call: callAgent('tdd-growth:distributor', 'Distribute the kite article.') }, say('Distributed.')],
        agents: {
          'tdd-growth:distributor': [{ calls: editors }, say('DISTRIBUTED')],
          'tdd-editor:editor': [{ call: callAgent('tdd-design:illustrator', 'Draw an inline image.') }, say('EDITED')],
          'tdd-design:illustrator': [say('{"svg": "<svg/>", "alt": "x"}')],
        },
        maxRequests: 60,
      },
      timeoutMs: 120_000,
    })
    expect(run.exitCode).toBe(0)
    expect(runtimeOf(run)).toBe(expectedRuntime(version))
    const invocations = tracedInvocations(run)
    expect(edges(invocations).filter((e) => e === 'tdd-growth:distributor -> tdd-editor:editor ok')).toHaveLength(8)
    expect(edges(invocations).filter((e) => e === 'tdd-editor:editor -> tdd-design:illustrator ok')).toHaveLength(8)
    const editorIds = invocations.filter((i) => i.target === 'tdd-editor:editor').map((i) => i.id)
    const nested = invocations.filter((i) => i.caller === 'tdd-editor:editor')
    expect(new Set(nested.map((i) => i.parent))).toEqual(new Set(editorIds)) // one illustrator call under each editor
    expect(new Set(nested.map((i) => i.callerAgent)).size).toBe(8)
  }, 180_000)
})

describe.each(PINNED_VERSIONS.filter((v) => expectedRuntime(v) === 'module'))('the hooks module on Claude Code %s', (version) => {
  it("guards agents the native Workflow tool starts: a policy rule denies one, the script reads why, the other runs", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'switchboard-workflow-'))
    mkdirSync(join(cwd, '.claude', 'switchboard'), { recursive: true })
    writeFileSync(join(cwd, '.claude', 'switchboard', 'policy.json'), JSON.stringify({ rules: [{ caller: 'main', target: 'tdd-design:palette', action: 'deny' }] }))
    const script = [
      "export const meta = { name: 'illustrate', description: 'Draw with a palette', phases: [{ title: 'draw' }] }",
      'let palette',
      "try { palette = await agent('Pick a palette.', { agentType: 'tdd-design:palette' }) } catch (e) { palette = 'REFUSED: ' + String(e?.message ?? e) }",
      "const art = await agent('Draw a kite.', { agentType: 'tdd-design:illustrator' })",
      'return { palette, art }',
    ].join('\n')
    const run = await runClaude({
      version,
      cwd,
      prompt: 'Run the workflow',
      plugins: EXAMPLES,
      allowedTools: [...DEFAULT_TOOLS, 'Workflow'],
      scenario: { main: [{ call: { tool: 'Workflow', input: { script } } }, say('Done.')], agents: { 'tdd-design:illustrator': [say('{"svg": "<svg/>", "alt": "kite"}')], 'tdd-design:palette': [say('PALETTE')] } },
    })
    expect(run.exitCode).toBe(0)
    expect(run.textSentTo('main')).toContain('REFUSED: Workflow agent spawn denied by a plugin: Switchboard: policy: a rule in')
    expect(run.requests.some((r) => r.conversation === 'tdd-design:palette')).toBe(false)
    expect(run.requests.some((r) => r.conversation === 'tdd-design:illustrator')).toBe(true)
    const traced = tracedInvocations(run)
    expect(traced.filter((i) => i.status === 'denied').map((i) => i.target)).toEqual(['tdd-design:palette'])
    expect(traced.map((i) => `${i.target} ${i.status}`).sort()).toEqual(['tdd-design:illustrator ok', 'tdd-design:palette denied'])
  })
})
