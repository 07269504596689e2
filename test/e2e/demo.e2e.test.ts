// `npm start`, the README's first command, end to end: the three orchestrations run on the real
// Claude Code with the stand-in model, on every pinned version, and print the same trees and the same
// flowed context (durations aside) in module and settings mode. The README's picture of a trace is
// what the demo prints, checked here, so neither can rot. Slow (real sessions): the .e2e.test.ts
// suffix is what a quick loop leaves out (`vitest run --exclude '**/*.e2e.test.ts'`).
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderReport, renderResume } from '../../scripts/demo/render.ts'
import { runResume } from '../../scripts/demo/resume.ts'
import { runOrchestration } from '../../scripts/demo/run.ts'
import type { Report } from '../../scripts/demo/run.ts'
import { ORCHESTRATIONS } from '../../scripts/demo/scenarios.ts'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import { expectedRuntime } from '../helpers/trace.ts'
import { SWITCHBOARD_ROOT } from '../harness/index.ts'

const TREES: Record<string, string[]> = {
  'editor-designer': [
    'main',
    '└─ tdd-editor:editor          ok  gets draft  → edited_article',
    '   └─ tdd-design:illustrator  ok  → illustration',
  ],
  'tech-editor': [
    'main',
    '└─ tdd-tech:tech-writer  ok  gets notes  → article',
    '   └─ tdd-editor:editor  ok  gets article_draft  → edited_article',
  ],
  'growth-all': [
    'main',
    '└─ tdd-growth:distributor     ok  gets article  → launch',
    '   ├─ tdd-editor:editor       ok  gets article  → edited_article',
    '   ├─ tdd-design:illustrator  ok  gets article  → illustration',
    '   ├─ tdd-growth:seo (skill)  ok  gets article',
    '   └─ tdd-growth:summarizer   ok  gets edited_article, illustration, seo_report  → launch_brief',
  ],
}

/** Each slot as `name: writer -> what got it as context`. */
const SLOTS: Record<string, string[]> = {
  'editor-designer': [
    'draft: main (@draft.md) -> tdd-editor:editor',
    'illustration: tdd-design:illustrator -> ',
    'edited_article: tdd-editor:editor -> ',
  ],
  'tech-editor': [
    'notes: main (@notes.md) -> tdd-tech:tech-writer',
    'article_draft: tdd-tech:tech-writer (context_put) -> tdd-editor:editor',
    'edited_article: tdd-editor:editor -> ',
    'article: tdd-tech:tech-writer -> ',
  ],
  'growth-all': [
    'article: main (@article.md) -> tdd-growth:distributor, tdd-editor:editor, tdd-design:illustrator, tdd-growth:seo',
    'edited_article: tdd-editor:editor -> tdd-growth:summarizer',
    'illustration: tdd-design:illustrator -> tdd-growth:summarizer',
    'seo_report: tdd-growth:distributor (context_put) -> tdd-growth:summarizer',
    'launch_brief: tdd-growth:summarizer -> ',
    'launch: tdd-growth:distributor -> ',
  ],
}

const PARTS = ORCHESTRATIONS.length + 1 // then the workflow stopped and run again
const stable = (report: Report, index: number): string =>
  renderReport(report, index + 1, PARTS, { color: false }, { stable: true })
/** The lines under the first "Who called whom" of a printout, up to the blank line, without their indent. */
function treeOf(printed: string): string[] {
  const lines = printed.split('\n')
  const from = lines.findIndex((line) => line.startsWith('  Who called whom')) + 1
  const to = lines.indexOf('', from)
  return lines.slice(from, to).map((line) => line.slice(2))
}
/** Tree lines with durations left out, padding folded and a wrapped `→ slot` joined back, to compare a timed tree with a stable one. */
const untimed = (lines: string[]): string[] =>
  lines
    .map((line) => line.replace(/ok \d+(?:\.\d)? m?s/, 'ok').replace(/ +/g, ' '))
    .reduce<string[]>((out, line) => {
      if (/^[ │]*→/.test(line)) out[out.length - 1] = `${out.at(-1)} ${line.replace(/^[ │]*/, '')}`
      else out.push(line)
      return out
    }, [])

describe.each(PINNED_VERSIONS)('the demo on Claude Code %s', (version) => {
  it.each(ORCHESTRATIONS.map((o, i) => [o.title, o, i] as const))(
    '%s: who called whom, and the context that flowed',
    async (_, orchestration, index) => {
      const report = await runOrchestration(orchestration, { version })
      expect(report.problems).toEqual([])
      expect(report.runtime).toBe(expectedRuntime(version)) // run.ts adds a problem when another runtime traced the calls
      const printed = stable(report, index)
      expect(treeOf(printed)).toEqual(TREES[orchestration.id])
      expect(report.slots.map((s) => `${s.name}: ${s.writer} -> ${s.readers.join(', ')}`)).toEqual(
        SLOTS[orchestration.id],
      )
      for (const slot of report.slots) expect(printed).toContain(`  ${slot.name.padEnd(16)}${slot.writer} →`)
      if (orchestration.id === 'growth-all' && version === '2.1.332') expect(readmePicture()).toBe(printed.trimEnd())
    },
    150_000,
  )

  it('a workflow stopped as its last step starts, run again: the finished steps come back from their receipts, with no call', async () => {
    const report = await runResume(version)
    expect(report.problems).toEqual([])
    expect(report.first.steps).toEqual(['edit ok', 'illustrate ok', 'seo ok', 'summarize killed'])
    expect(report.again.steps).toEqual(['edit reused', 'illustrate reused', 'seo reused', 'summarize ok'])
    expect(report.again.requests).toEqual({
      'tdd-editor:editor': 0,
      'tdd-design:illustrator': 0,
      seoHelper: 0,
      'tdd-growth:summarizer': 1,
    })
    const printed = renderResume(report, PARTS, PARTS, { color: false }, { stable: true })
    expect(printed).toContain('    requests: editor 0, illustrator 0, SEO helper 0, summarizer 1')
    expect(treeOf(printed)).toEqual([
      'main',
      '└─ tdd-growth:summarizer  ok  gets edited_article, illustration, seo_report  → launch_brief',
    ])
  }, 150_000)
})

describe('npm start', () => {
  it('installs what it needs, runs the three orchestrations and the resumed workflow on Claude Code 2.1.332 and prints each', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
    delete env.ANTHROPIC_API_KEY
    delete env.FORCE_COLOR
    const result = spawnSync(process.execPath, [join(SWITCHBOARD_ROOT, 'scripts', 'demo.mjs')], {
      cwd: SWITCHBOARD_ROOT,
      encoding: 'utf8',
      env,
      timeout: 400_000,
    })
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain(
      "Claude Code 2.1.332, run by Switchboard's hooks module, answered by a scripted stand-in model",
    )
    for (const [index, orchestration] of ORCHESTRATIONS.entries()) {
      expect(result.stdout).toContain(`━━ ${index + 1}/${PARTS}  ${orchestration.title} ━━`)
      // The tree with durations: each line as in the stable form, with `ok <time>` in place of `ok`.
      const tree = treeOf(result.stdout.slice(result.stdout.indexOf(`${index + 1}/${PARTS}  ${orchestration.title}`)))
      expect(untimed(tree)).toEqual(untimed(TREES[orchestration.id]!))
    }
    expect(result.stdout).toContain(`━━ ${PARTS}/${PARTS}  A workflow, stopped and run again ━━`)
    expect(result.stdout).toContain('    steps:    edit reused, illustrate reused, seo reused, summarize ok')
    expect(result.stdout).toMatch(
      /✓ 3 orchestrations, 9 cross-plugin calls, [\d.]+ s; a workflow resumed, nothing redone\./,
    )
    expect(result.stdout).not.toContain('\u001b[') // no colour when stdout is not a terminal
    expect(Math.max(...result.stdout.split('\n').map((line) => Array.from(line).length))).toBeLessThanOrEqual(100)
    expect(result.status).toBe(0)
  }, 400_000)

  it('refuses --live without an API key, saying why, before running anything', () => {
    const env = { ...process.env }
    delete env.ANTHROPIC_API_KEY
    const result = spawnSync(process.execPath, [join(SWITCHBOARD_ROOT, 'scripts', 'demo.mjs'), '--live'], {
      cwd: SWITCHBOARD_ROOT,
      encoding: 'utf8',
      env,
      timeout: 120_000,
    })
    expect(result.stderr).toContain('--live needs ANTHROPIC_API_KEY set')
    expect(result.stdout).not.toContain('━━ 1/')
    expect(result.status).toBe(2)
  }, 120_000)
})

/** The README's picture of a trace: the text block after `<!-- demo: growth-all -->`. */
function readmePicture(): string {
  const readme = readFileSync(join(SWITCHBOARD_ROOT, 'README.md'), 'utf8')
  const block = /<!-- demo: growth-all[^>]*-->\n```text\n([\s\S]*?)\n```/.exec(readme)
  if (!block) throw new Error('README.md has no ```text block after <!-- demo: growth-all -->')
  return block[1]!.trimEnd()
}
