// The order of calls and returns in the sequence diagram, on logs the two runtimes wrote: the fixtures
// in test/fixtures/traces/ are real logs of one scenario (main -> distributor, which fans out to two
// editors and a background illustrator; a policy denies each editor's illustrator call; a skill that
// does not exist) from Claude Code 2.1.332 (hooks module) and 2.1.197 (settings hooks), with the
// project path replaced. The hand-written cases below are shaped on them.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import mermaid from 'mermaid'
import { describe, expect, it } from 'vitest'
import {
  callSequence,
  callTree,
  foldInvocations,
  mergeLogs,
  recordLine,
  renderMermaid,
  renderTree,
} from '../../src/trace/index.ts'
import type { CallRecord, Invocation } from '../../src/trace/index.ts'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'traces')
const MODULE_LOG = readFileSync(join(FIXTURES, 'fan-out-2.1.332.calls-module.jsonl'), 'utf8')
const SETTINGS_LOG = readFileSync(join(FIXTURES, 'fan-out-2.1.197.calls.jsonl'), 'utf8')

describe('the sequence diagram', () => {
  it('draws each return after the calls made under it (hooks module log, 2.1.332)', async () => {
    const diagram = renderMermaid(foldInvocations(mergeLogs([MODULE_LOG])))
    expect(messages(diagram)).toEqual([
      'main->>+distributor: agent call',
      'distributor->>+editor: agent call',
      'distributor->>+illustrator: agent call',
      'illustrator-->>-distributor: ok in 168 ms',
      'distributor->>+editor: agent call', // the illustrator ended in the millisecond this call started: log order
      'editor-xillustrator: denied: policy: a rule in /project/.claude/switchboard/policy.json denies tdd-e…',
      'editor-xillustrator: denied: policy: a rule in /project/.claude/switchboard/policy.json denies tdd-e…',
      'editor-->>-distributor: ok in 418 ms',
      'editor-->>-distributor: ok in 246 ms',
      'distributor-xno-such-skill: denied: missing: plugin "tdd-growth" has no command or skill "tdd-growth:no-suc…',
      'distributor-->>-main: ok in 764 ms',
    ])
    await expect(mermaid.parse(diagram)).resolves.toMatchObject({ diagramType: 'sequence' })
  })

  it('draws each return after the calls made under it (settings hooks log, 2.1.197)', async () => {
    const diagram = renderMermaid(foldInvocations(mergeLogs([SETTINGS_LOG])))
    expect(messages(diagram)).toEqual([
      'main->>+distributor: agent call',
      'distributor->>+editor: agent call',
      'distributor->>+illustrator: agent call',
      'distributor->>+editor: agent call',
      'illustrator-->>-distributor: ok in 768 ms', // background: ended at SubagentStop
      'editor-xillustrator: denied: policy: a rule in /project/.claude/switchboard/policy.json denies tdd-e…',
      'editor-xillustrator: denied: policy: a rule in /project/.claude/switchboard/policy.json denies tdd-e…',
      'editor-->>-distributor: ok in 1405 ms',
      'editor-->>-distributor: ok in 1438 ms',
      'distributor-->>-main: ok in 3025 ms',
    ])
    await expect(mermaid.parse(diagram)).resolves.toMatchObject({ diagramType: 'sequence' })
  })

  it('keeps both trees whole when a session has both logs (run on 2.1.197, resumed on 2.1.332)', () => {
    const invocations = foldInvocations(mergeLogs([shift(SETTINGS_LOG, -60_000), MODULE_LOG]))
    expectNested(invocations)
    expect(messages(renderMermaid(invocations)).filter((m) => m.startsWith('main'))).toEqual([
      'main->>+distributor: agent call',
      'main->>+distributor: agent call',
    ])
  })

  it('puts a return after a call under it written in the same millisecond but before it (two logs merged)', () => {
    const settings = [
      call('t1', null, 'main', 'tdd-growth:distributor', 100),
      { e: 'end', id: 't1', status: 'ok', ts: 300 } satisfies CallRecord,
    ]
    const module = [call('t2', 't1', 'tdd-growth:distributor', 'tdd-editor:editor', 300, 'denied')]
    const invocations = foldInvocations(mergeLogs([settings.map(recordLine).join(''), module.map(recordLine).join('')]))
    expect(messages(renderMermaid(invocations))).toEqual([
      'main->>+distributor: agent call',
      'distributor-xeditor: denied: no',
      'distributor-->>-main: ok in 200 ms',
    ])
  })

  it("draws a call after its caller's call even when its clock read earlier", () => {
    const invocations = foldInvocations([
      call('t1', null, 'main', 'tdd-tech:tech-writer', 100),
      call('t2', 't1', 'tdd-tech:tech-writer', 'tdd-editor:editor', 99),
      end('t2', 130),
      end('t1', 140),
    ])
    expect(messages(renderMermaid(invocations))).toEqual([
      'main->>+tech-writer: agent call',
      'tech-writer->>+editor: agent call',
      'editor-->>-tech-writer: ok in 31 ms',
      'tech-writer-->>-main: ok in 40 ms',
    ])
  })

  it('lets a background call outlive its caller: its return after its caller returned, as it happened', async () => {
    // 2.1.197: the Agent tool answered at launch (async_launched), SubagentStop ended the call later.
    const settings: CallRecord[] = [
      call('t1', null, 'main', 'tdd-growth:distributor', 1000),
      call('t2', 't1', 'tdd-growth:distributor', 'tdd-design:illustrator', 1100),
      { e: 'link', id: 't2', agent: 'a-ill', ts: 1150, how: 'post-tool-use' },
      call('t3', 't1', 'tdd-growth:distributor', 'tdd-growth:seo', 1200, 'running', 'skill'),
      end('t3', 1210),
      end('t1', 1500),
      { e: 'stop', agent: 'a-ill', ts: 2400 },
    ]
    // 2.1.332: the module ends a background agent's call at its report, after its caller's report.
    const module: CallRecord[] = [
      call('t1', null, 'main', 'tdd-growth:distributor', 1000),
      call('t2', 't1', 'tdd-growth:distributor', 'tdd-design:illustrator', 1100),
      end('t1', 1500),
      end('t2', 2400),
    ]
    for (const records of [settings, module]) {
      const diagram = renderMermaid(foldInvocations(records))
      const lines = messages(diagram)
      expect(lines.indexOf('distributor->>+illustrator: agent call')).toBeLessThan(
        lines.indexOf('distributor-->>-main: ok in 500 ms'),
      )
      expect(lines.at(-1)).toBe('illustrator-->>-distributor: ok in 1300 ms')
      await expect(mermaid.parse(diagram)).resolves.toMatchObject({ diagramType: 'sequence' })
    }
  })

  it('draws a background call that never ended, and a failed one, without a return that did not happen', async () => {
    const invocations = foldInvocations([
      call('t1', null, 'main', 'tdd-growth:distributor', 1000),
      call('t2', 't1', 'tdd-growth:distributor', 'tdd-design:illustrator', 1100),
      call('t3', 't1', 'tdd-growth:distributor', 'tdd-editor:editor', 1150),
      { e: 'end', id: 't3', status: 'failed', ts: 1300, reason: 'the tool call failed' }, // PostToolUseFailure
      end('t1', 1400),
    ])
    const diagram = renderMermaid(invocations)
    expect(messages(diagram)).toEqual([
      'main->>+distributor: agent call',
      'distributor->>+illustrator: agent call',
      'distributor->>+editor: agent call',
      'editor-->>-distributor: failed in 150 ms',
      'distributor-->>-main: ok in 400 ms',
    ])
    await expect(mermaid.parse(diagram)).resolves.toMatchObject({ diagramType: 'sequence' })
  })

  it('orders parallel calls started in the same millisecond the same way every time: by the log', () => {
    const records = [
      call('t1', null, 'main', 'tdd-growth:distributor', 1000),
      call('tB', 't1', 'tdd-growth:distributor', 'tdd-editor:editor', 1100),
      call('tA', 't1', 'tdd-growth:distributor', 'tdd-design:illustrator', 1100),
      end('tA', 1200),
      end('tB', 1200),
      end('t1', 1300),
    ]
    const ids = (events: ReturnType<typeof callSequence>): string[] => events.map((e) => `${e.kind} ${e.invocation.id}`)
    const expected = ['call t1', 'call tB', 'call tA', 'return tB', 'return tA', 'return t1']
    expect(ids(callSequence(foldInvocations(records)))).toEqual(expected)
    expect(ids(callSequence(foldInvocations(records)))).toEqual(expected)
    expect(
      renderTree(foldInvocations(records))
        .split('\n')
        .slice(2)
        .map((l) => l.match(/\[(\w+)\]/)?.[1]),
    ).toEqual(['tB', 'tA'])
  })

  it('draws every call of a corrupt log whose parents form a cycle', () => {
    const invocations = foldInvocations([
      call('x', 'y', 'a:a', 'b:b', 1, 'denied'),
      call('y', 'x', 'b:b', 'a:a', 2, 'denied'),
    ])
    expect(callSequence(invocations).map((e) => e.invocation.id)).toEqual(['x', 'y'])
    expect(renderTree(invocations)).toContain('[y]')
  })
})

describe('the tree and the diagram tell one story', () => {
  it("list the same calls, each caller's calls in the same order", () => {
    for (const log of [MODULE_LOG, SETTINGS_LOG]) {
      const invocations = foldInvocations(mergeLogs([log]))
      expectNested(invocations)
      const tree = callTree(invocations)
      const calls = callSequence(invocations)
        .filter((e) => e.kind !== 'return')
        .map((e) => e.invocation)
      for (const [parent, children] of tree.children) expect(calls.filter((i) => i.parent === parent)).toEqual(children)
      expect(calls.filter((i) => i.parent === null)).toEqual(tree.roots)
      const treeIds = [...renderTree(invocations).matchAll(/\[([^\]]+)\]$/gm)].map((m) => m[1])
      expect(new Set(treeIds)).toEqual(new Set(calls.map((i) => i.id)))
      expect(treeIds).toHaveLength(calls.length)
    }
  })
})

// --- helpers ---

function call(
  id: string,
  parent: string | null,
  caller: string,
  target: string,
  ts: number,
  status: 'running' | 'denied' = 'running',
  kind: 'agent' | 'skill' = 'agent',
): CallRecord {
  return {
    e: 'call',
    id,
    parent,
    caller,
    callerAgent: null,
    target,
    kind,
    ts,
    status,
    ...(status === 'denied' ? { reason: 'no' } : {}),
  }
}

function end(id: string, ts: number): CallRecord {
  return { e: 'end', id, status: 'ok', ts }
}

/** The diagram's messages, with each participant written by its short name. */
function messages(diagram: string): string[] {
  const names = new Map(
    [...diagram.matchAll(/^ {2}participant (\S+) as (.+)$/gm)].map((m) => [m[1]!, m[2]!.replace(/^[^:]+:/, '')]),
  )
  return diagram
    .split('\n')
    .filter((line) => /^ {2}\S+(->>\+|-->>-|-x)/.test(line))
    .map((line) =>
      line
        .trim()
        .replace(
          /^(\S+?)(->>\+|-->>-|-x)([^:]+):/,
          (_, from: string, arrow: string, to: string) => `${names.get(from)}${arrow}${names.get(to)}:`,
        ),
    )
}

/** A log of another run: every time moved by `ms`, every call id prefixed (the scripted model reuses tool_use_ids). */
function shift(log: string, ms: number): string {
  const other = (id: string | null): string | null => (id === null ? null : `earlier-${id}`)
  return mergeLogs([log])
    .map((r) =>
      recordLine({
        ...r,
        ts: r.ts + ms,
        ...('id' in r ? { id: other(r.id)! } : {}),
        ...('parent' in r ? { parent: other(r.parent) } : {}),
      } as CallRecord),
    )
    .join('')
}

/** The guarantees of call-order.ts, checked on the sequence itself. */
function expectNested(invocations: Map<string, Invocation>): void {
  const events = callSequence(invocations)
  const at = (kind: string, id: string): number => events.findIndex((e) => e.kind === kind && e.invocation.id === id)
  const started = (i: Invocation): number => Math.max(at('call', i.id), at('denied', i.id))
  for (const invocation of invocations.values()) {
    const parent = invocation.parent ? invocations.get(invocation.parent) : undefined
    if (parent) expect(started(invocation)).toBeGreaterThan(started(parent))
    if (invocation.end === null || invocation.status === 'denied') continue
    expect(at('return', invocation.id)).toBeGreaterThan(started(invocation))
    for (const child of invocations.values()) {
      if (child.parent !== invocation.id) continue
      expect(at('return', invocation.id)).toBeGreaterThan(started(child))
      if (child.status !== 'denied' && child.end !== null && child.end <= invocation.end)
        expect(at('return', invocation.id)).toBeGreaterThan(at('return', child.id))
    }
  }
}
