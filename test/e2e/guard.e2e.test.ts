import { describe, expect, it } from 'vitest'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import { edges, expectedRuntime, runtimeOf, traceOutput, tracedInvocations } from '../helpers/trace.ts'
import { randomUUID } from 'node:crypto'
import { callAgent, callSkill, runClaude, say } from '../harness/index.ts'
import { EXAMPLES, FIXTURE } from '../helpers/plugins.ts'

describe.each(PINNED_VERSIONS)('Claude Code %s', (version) => {
  it('denies A -> B -> A across plugins, naming the chain; the first two calls ran', async () => {
    const run = await runClaude({
      version,
      prompt: 'Edit the launch post',
      plugins: [FIXTURE('loop-a'), FIXTURE('loop-b')],
      scenario: {
        main: [{ call: callAgent('loop-a:writer', 'Write the launch post.') }, say('Finished.')],
        agents: {
          'loop-a:writer': [{ call: callAgent('loop-b:reviewer', 'Review the launch post.') }, say('WRITER DONE')],
          'loop-b:reviewer': [{ call: callAgent('loop-a:writer', 'Rewrite it from scratch.') }, say('REVIEWER DONE')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(run.textSentTo('loop-b:reviewer')).toContain(
      'Switchboard: cycle: loop-a:writer -> loop-b:reviewer -> loop-a:writer.',
    )
    expect(run.requests.filter((r) => r.conversation === 'loop-a:writer')).toHaveLength(2) // started once, never re-entered
    expect(edges(tracedInvocations(run))).toEqual([
      'main -> loop-a:writer ok',
      'loop-a:writer -> loop-b:reviewer ok',
      'loop-b:reviewer -> loop-a:writer denied',
    ])
    expect(runtimeOf(run)).toBe(expectedRuntime(version)) // one runtime decided and traced, never both
  })

  it('lets a chain of three plugins run untouched, and traces parents, durations and statuses', async () => {
    const run = await runClaude({
      version,
      prompt: 'Write about kites',
      plugins: EXAMPLES,
      scenario: {
        main: [{ call: callAgent('tdd-tech:tech-writer', 'Write about solar kites.') }, say('Article ready.')],
        agents: {
          'tdd-tech:tech-writer': [
            { call: callAgent('tdd-editor:editor', 'Edit: kites are great.') },
            say('ARTICLE: kites'),
          ],
          'tdd-editor:editor': [{ call: callAgent('tdd-design:illustrator', 'Draw a kite.') }, say('EDITED: kites')],
          'tdd-design:illustrator': [say('{"svg": "<svg/>", "alt": "a kite"}')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(run.requests.map((r) => r.system + JSON.stringify(r.messages)).join('')).not.toMatch(
      /Switchboard: (cycle|depth|budget|policy|private|missing|version):/,
    )
    expect(run.textSentTo('main')).toContain('ARTICLE: kites')
    const invocations = tracedInvocations(run)
    expect(edges(invocations)).toEqual([
      'main -> tdd-tech:tech-writer ok',
      'tdd-tech:tech-writer -> tdd-editor:editor ok',
      'tdd-editor:editor -> tdd-design:illustrator ok',
    ])
    // The sequence diagram: each return after the calls made under it (the CLI /switchboard:trace --mermaid asks for).
    const diagram = traceOutput(run, '--mermaid')
    expect(
      diagram
        .split('\n')
        .filter((l) => /->>|-->>/.test(l))
        .map((l) => l.trim().replace(/: .*/, '')),
    ).toEqual(['main->>+p1', 'p1->>+p2', 'p2->>+p3', 'p3-->>-p2', 'p2-->>-p1', 'p1-->>-main'])
    expect(diagram).toContain(
      'participant p1 as tdd-tech:tech-writer\n  participant p2 as tdd-editor:editor\n  participant p3 as tdd-design:illustrator',
    )
    for (const invocation of invocations) {
      expect(invocation.agent).toMatch(/^a[0-9a-f]+$/)
      expect(runtimeOf(run)).toBe(expectedRuntime(version))
      expect(invocation.durationMs).toBeGreaterThanOrEqual(0)
    }
  })

  it('gives parallel fan-out (two of the same type) the right parents', async () => {
    const run = await runClaude({
      version,
      prompt: 'Distribute the article',
      plugins: EXAMPLES,
      scenario: {
        main: [{ call: callAgent('tdd-growth:distributor', 'Distribute the kite article.') }, say('Distributed.')],
        agents: {
          'tdd-growth:distributor': [
            {
              calls: [
                callAgent('tdd-editor:editor', 'Edit version A.'),
                callAgent('tdd-editor:editor', 'Edit version B.'),
                callAgent('tdd-design:illustrator', 'Draw the header.'),
              ],
            },
            say('{"article": "DISTRIBUTED", "brief": {}}'),
          ],
          'tdd-editor:editor': [{ call: callAgent('tdd-design:illustrator', 'Draw an inline image.') }, say('EDITED')],
          'tdd-design:illustrator': [say('{"svg": "<svg/>", "alt": "x"}')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    const invocations = tracedInvocations(run)
    expect(edges(invocations).sort()).toEqual([
      'main -> tdd-growth:distributor ok',
      'tdd-editor:editor -> tdd-design:illustrator ok',
      'tdd-editor:editor -> tdd-design:illustrator ok',
      'tdd-growth:distributor -> tdd-design:illustrator ok',
      'tdd-growth:distributor -> tdd-editor:editor ok',
      'tdd-growth:distributor -> tdd-editor:editor ok',
    ])
    // Each editor's illustrator call hangs under that editor's own invocation, not its twin's.
    const editors = invocations.filter((i) => i.target === 'tdd-editor:editor')
    const nested = invocations.filter((i) => i.caller === 'tdd-editor:editor')
    expect(new Set(nested.map((i) => i.parent))).toEqual(new Set(editors.map((e) => e.id)))
    expect(new Set(nested.map((i) => i.callerAgent))).toEqual(new Set(editors.map((e) => e.agent)))
  })
})

describe.each(PINNED_VERSIONS)('the trace on Claude Code %s', (version) => {
  it('traces Skill calls inline in their caller, and /switchboard:trace shows the tree in Claude Code', async () => {
    const sessionId = randomUUID()
    const first = await runClaude({
      version,
      prompt: 'Check the SEO of my article',
      plugins: EXAMPLES,
      extraArgs: ['--session-id', sessionId],
      scenario: {
        main: [{ call: callAgent('tdd-growth:distributor', 'Distribute the kite article.') }, say('Distributed.')],
        agents: {
          'tdd-growth:distributor': [
            { call: callSkill('tdd-growth:seo', 'Kites are great.') },
            say('{"article": "DISTRIBUTED", "brief": {}}'),
          ],
        },
      },
    })
    expect(first.exitCode).toBe(0)
    expect(edges(tracedInvocations(first))).toEqual([
      'main -> tdd-growth:distributor ok',
      'tdd-growth:distributor -> tdd-growth:seo ok',
    ])
    expect(tracedInvocations(first)[1]).toMatchObject({ kind: 'skill', caller: 'tdd-growth:distributor' })

    const second = await runClaude({
      version,
      prompt: '/switchboard:trace',
      home: first.home,
      cwd: first.cwd,
      plugins: EXAMPLES,
      extraArgs: ['--resume', sessionId],
      scenario: { main: [say('Here is the trace.')] },
    })
    expect(second.exitCode).toBe(0)
    const shown = second.textSentTo('main')
    expect(shown).toContain(
      `Session ${sessionId} (runtime: ${expectedRuntime(version) === 'module' ? 'hooks module' : 'settings hooks'})`,
    )
    expect(shown).toMatch(/└─ tdd-growth:distributor \(agent\) {2}ok, \d+ ms/)
    expect(shown).toMatch(/└─ tdd-growth:seo \(skill\) {2}ok/)
  })
})
