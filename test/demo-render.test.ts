// The demo's terminal text (scripts/demo/render.ts) on what a run can bring: a denied call, long names,
// and values a hostile model wrote. The real runs are in test/e2e/demo.e2e.test.ts.
import { describe, expect, it } from 'vitest'
import type { CallView, SlotView } from '../scripts/demo/flow.ts'
import { renderFooter, renderReport, WIDTH } from '../scripts/demo/render.ts'
import type { Report } from '../scripts/demo/run.ts'
import { ORCHESTRATIONS } from '../scripts/demo/scenarios.ts'

const call = (over: Partial<CallView>): CallView => ({
  id: 'toolu_1',
  depth: 0,
  prefix: '└─ ',
  target: 'tdd-editor:editor',
  kind: 'agent',
  status: 'ok',
  durationMs: 1200,
  reason: null,
  reads: [],
  into: null,
  ...over,
})
const slot = (over: Partial<SlotView>): SlotView => ({
  name: 'draft',
  type: 'text',
  preview: '"text"',
  chars: 4,
  writer: 'main (@draft.md)',
  readers: [],
  ...over,
})
const report = (over: Partial<Report>): Report => ({
  orchestration: ORCHESTRATIONS[0]!,
  version: '2.1.332',
  runtime: 'module',
  live: false,
  ok: true,
  problems: [],
  wallMs: 2500,
  modelRequests: 5,
  costUsd: null,
  calls: [],
  slots: [],
  ...over,
})
const ESC = '\u001b'

describe('the demo printout', () => {
  const denied = report({
    ok: false,
    calls: [
      call({ id: 'a', reads: ['draft'], into: 'edited_article' }),
      call({
        id: 'b',
        depth: 1,
        prefix: '   └─ ',
        target: 'tdd-design:palette',
        status: 'denied',
        durationMs: 0,
        reason: 'private: tdd-design:palette is private to plugin "tdd-design"',
      }),
    ],
    problems: [
      'tdd-design:palette denied: private: tdd-design:palette is private to plugin "tdd-design"; tdd-editor:editor (plugin "tdd-editor") may not call it. Pick another provider, or tell the user.',
    ],
  })

  it('shows a denied call in the tree and its reason, within 100 columns, without colour unless asked', () => {
    const text = renderReport(denied, 1, 3, { color: false })
    expect(text).toContain('  └─ tdd-editor:editor      ok 1.2 s  gets draft  → edited_article')
    expect(text).toContain('     └─ tdd-design:palette  denied\n')
    expect(text).toContain('  ✗ tdd-design:palette denied: private:')
    expect(text).not.toContain(ESC)
    for (const line of text.split('\n')) expect(Array.from(line).length, line).toBeLessThanOrEqual(WIDTH)
    expect(renderFooter([denied], { color: false })).toContain(
      '✗ 1 of 1 parts did not complete cleanly (see the ✗ lines): Editor → Designer.',
    )
  })

  it('colours when asked, and still fits 100 columns once the colour codes are taken out', () => {
    const text = renderReport(denied, 1, 3, { color: true })
    expect(text).toContain(`${ESC}[31mdenied${ESC}[0m`)
    for (const line of text.replace(/\u001b\[\d+m/g, '').split('\n'))
      expect(Array.from(line).length).toBeLessThanOrEqual(WIDTH)
  })

  it('prints what a model wrote inert: no escape sequence, no line break, no bidi control reaches the terminal', () => {
    const hostile = report({
      calls: [call({ target: `evil:agent${ESC}[2J`, reads: [`x${ESC}]0;pwned\u0007`], into: 'out\u202e' })],
      slots: [slot({ name: 'out', writer: `evil:agent\n${ESC}[31mFAKE ✓`, readers: ['main\r'], preview: '"ok"' })],
    })
    const text = renderReport(hostile, 1, 1, { color: false })
    expect(text).not.toContain(ESC)
    expect(text).not.toContain('\u202e')
    expect(text).not.toContain('\r')
    expect(text).not.toContain('\nFAKE')
    expect(text).toContain('evil:agent\\x1b[2J')
    expect(text).toContain('evil:agent\\n\\x1b[31mFAKE ✓ → main\\r')
  })

  it('leaves out what varies from run to run in the stable form the README shows', () => {
    const text = renderReport(denied, 1, 3, { color: false }, { stable: true })
    expect(text).toContain('  └─ tdd-editor:editor      ok      gets draft  → edited_article')
    expect(text).not.toMatch(/\d+(\.\d)? s\b|requests/)
  })
})
