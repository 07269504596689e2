import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import mermaid from 'mermaid'
import { describe, expect, it } from 'vitest'
import { foldInvocations, MODULE_MARKER, renderMermaid, renderTree } from '../../src/trace/index.ts'
import type { CallRecord } from '../../src/trace/index.ts'

// A session with every status: a chain of three, a cycle denied, a failure, one still running.
const RECORDS: CallRecord[] = [
  {
    e: 'call',
    id: 't1',
    parent: null,
    caller: 'main',
    callerAgent: null,
    target: 'loop-a:writer',
    kind: 'agent',
    ts: 1000,
    status: 'running',
  },
  { e: 'link', id: 't1', agent: 'a1', ts: 1001, how: 'post-tool-use' },
  {
    e: 'call',
    id: 't2',
    parent: 't1',
    caller: 'loop-a:writer',
    callerAgent: 'a1',
    target: 'loop-b:reviewer',
    kind: 'agent',
    ts: 1100,
    status: 'running',
  },
  {
    e: 'call',
    id: 't3',
    parent: 't2',
    caller: 'loop-b:reviewer',
    callerAgent: 'a2',
    target: 'loop-a:writer',
    kind: 'agent',
    ts: 1200,
    status: 'denied',
    reason: 'cycle: loop-a:writer -> loop-b:reviewer -> loop-a:writer. Return; to the caller # now',
  },
  { e: 'end', id: 't2', status: 'ok', ts: 1300, durationMs: 200, tokens: 120 },
  {
    e: 'call',
    id: 't4',
    parent: 't1',
    caller: 'loop-a:writer',
    callerAgent: 'a1',
    target: 'tdd-growth:seo',
    kind: 'skill',
    ts: 1400,
    status: 'running',
    runsAs: 'tdd-growth:auditor',
  },
  { e: 'end', id: 't4', status: 'failed', ts: 1450, reason: 'the skill failed' },
  { e: 'stop', agent: 'a1', ts: 1500 },
  {
    e: 'call',
    id: 't5',
    parent: null,
    caller: 'main',
    callerAgent: null,
    target: 'tdd-editor:editor',
    kind: 'agent',
    ts: 1600,
    status: 'running',
    loads: ['tdd-design:style-guide', 'tdd-tech:glossary'],
  },
]

describe('trace rendering', () => {
  const invocations = foldInvocations(RECORDS)

  it('folds the log: statuses, durations, tokens, the background end at SubagentStop', async () => {
    expect([...invocations.values()].map((i) => [i.id, i.status, i.durationMs, i.tokens])).toEqual([
      ['t1', 'ok', 500, null],
      ['t2', 'ok', 200, 120],
      ['t3', 'denied', 0, null],
      ['t4', 'failed', 50, null],
      ['t5', 'running', null, null],
    ])
  })

  it('draws a tree with parents', async () => {
    expect(renderTree(invocations)).toBe(
      [
        'main',
        '├─ loop-a:writer (agent)  ok, 500 ms  [t1]',
        '│  ├─ loop-b:reviewer (agent)  ok, 200 ms, 120 tokens  [t2]',
        '│  │  └─ loop-a:writer (agent)  denied, cycle: loop-a:writer -> loop-b:reviewer -> loop-a:writer. Return; to the caller # now  [t3]',
        '│  └─ tdd-growth:seo (skill, runs as tdd-growth:auditor)  failed, 50 ms, the skill failed  [t4]',
        '└─ tdd-editor:editor (agent, loads tdd-design:style-guide, tdd-tech:glossary)  running  [t5]',
      ].join('\n'),
    )
  })

  it('draws a forged target and reason inert, on the line of their call', async () => {
    const forged = foldInvocations([
      {
        e: 'call',
        id: 'f1',
        parent: null,
        caller: 'main',
        callerAgent: null,
        target: 'evil\n└─ main -> x (agent)  ok\u001b[2J',
        kind: 'agent',
        ts: 1,
        status: 'denied',
        reason: 'no\r\u202eko',
      },
    ])
    expect(renderTree(forged)).toBe(
      'main\n└─ evil\\n└─ main -> x (agent)  ok\\x1b[2J (agent)  denied, no\\r\\u202eko  [f1]',
    )
  })

  it('draws a Mermaid sequence diagram that Mermaid itself parses', async () => {
    const diagram = renderMermaid(invocations)
    await expect(mermaid.parse(diagram)).resolves.toMatchObject({ diagramType: 'sequence' })
    expect(diagram).toContain(
      'p2-xp1: denied: cycle: loop-a:writer -> loop-b:reviewer -> loop-a:writer. Return#59; to th…',
    )
    expect(diagram).toContain('p1->>+p3: skill call as tdd-growth:auditor') // a forked skill, and the agent it runs as
    expect(diagram).toContain('main->>+p4: agent call, loads tdd-design:style-guide, tdd-tech:glossary') // skills: preloads
  })

  it('writes what others wrote into Mermaid as text: no statement ends, directives, HTML or line breaks', async () => {
    const hostile = 'x;y %%{init: {"theme":"dark"}}%% <b>&amp;</b> #59;\n  main->>p9: forged\u001b[2J\u2028'
    const diagram = renderMermaid(
      foldInvocations([
        {
          e: 'call',
          id: 'h1',
          parent: null,
          caller: 'main',
          callerAgent: null,
          target: hostile,
          kind: 'agent',
          ts: 1,
          status: 'denied',
          reason: hostile,
        },
      ]),
    )
    await expect(mermaid.parse(diagram)).resolves.toMatchObject({ diagramType: 'sequence' })
    expect(diagram.split('\n')).toHaveLength(4) // sequenceDiagram, two participants, one message
    expect(diagram).not.toMatch(/[<&%]|;(?<!#\d+;)|[\u0000-\u0009\u000b-\u001f\u2028]/)
    expect(diagram).toContain(
      'participant p1 as x#59;y #37;#37;{init: {"theme":"dark"}}#37;#37; #60;b>#38;amp#59;#60;/b> #35;59#59;\\n main->>p9: forged',
    )
  })

  it('is checked by a parser that rejects broken diagrams', async () => {
    await expect(mermaid.parse('sequenceDiagram\n  main->>: broken')).rejects.toThrow(/Parse error/)
  })
})

describe('switchboard trace (CLI)', () => {
  it('shows the latest session as a tree, as JSON, and as a Mermaid diagram that parses', async () => {
    const { appendRecord, sessionDir } = await import('../../src/trace/index.ts')
    const { cli } = await import('../helpers/cli.ts')
    const { testdir } = await import('../helpers/testdir.ts')
    const data = testdir()
    for (const record of RECORDS) appendRecord(sessionDir(data, 'session-1'), record)
    const env = { SWITCHBOARD_DATA_DIR: data }
    expect((await cli(['trace'], { env })).stdout).toBe(
      `Session session-1 (runtime: settings hooks)\n${renderTree(foldInvocations(RECORDS))}\n`,
    )
    writeFileSync(join(sessionDir(data, 'session-1'), MODULE_MARKER), 'x') // the hooks module ran this session
    expect((await cli(['trace'], { env })).stdout).toMatch(/^Session session-1 \(runtime: hooks module\)\n/)
    expect(
      JSON.parse((await cli(['trace', '--session', 'session-1', '--json'], { env })).stdout).invocations,
    ).toHaveLength(5)
    const diagram = (await cli(['trace', '--mermaid'], { env })).stdout
    await expect(mermaid.parse(diagram)).resolves.toMatchObject({ diagramType: 'sequence' })
    expect((await cli(['trace'], { env: { SWITCHBOARD_DATA_DIR: testdir() } })).stdout).toMatch(/^No traced session/)
  })
})
