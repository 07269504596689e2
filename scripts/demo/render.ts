/**
 * The demonstration as text for a terminal: for each orchestration, who called whom (the trace tree
 * with what each call received and where its return went), the context slots that flowed between
 * plugins (who wrote each, who got it, its value shortened), and what it took. At most 100 columns;
 * colour only when asked (a TTY). Everything that came from a model or a plugin is shown inert
 * (src/common/inert.ts), so a hostile value cannot move the cursor or recolour the screen.
 */
import { inert } from '../../src/common/index.ts'
import type { CallView, SlotView } from './flow.ts'
import { RESUME } from './resume.ts'
import type { ResumeReport, ResumeRun } from './resume.ts'
import type { Report } from './run.ts'

export const WIDTH = 100

export interface Style {
  color: boolean
}

const CODES = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' } as const
type Paint = (name: keyof typeof CODES, text: string) => string
const painter =
  (style: Style): Paint =>
  (name, text) =>
    style.color && text ? `\u001b[${CODES[name]}m${text}\u001b[0m` : text

export function renderHeader(style: Style, what: string): string {
  const paint = painter(style)
  return [
    paint('bold', 'Switchboard: plugins calling plugins, on the real Claude Code'),
    ...wrap(what, WIDTH).map((line) => paint('dim', line)),
    '',
  ].join('\n')
}

/** One orchestration. `stable` leaves out what changes from run to run (durations, time, request counts): the form the README shows, kept in sync by a test. */
export function renderReport(
  report: Report,
  index: number,
  total: number,
  style: Style,
  options: { stable: boolean } = { stable: false },
): string {
  const paint = painter(style)
  const { orchestration } = report
  const title = ` ${index}/${total}  ${orchestration.title} `
  const lines = [
    paint('bold', `━━${title}${'━'.repeat(Math.max(3, WIDTH - 2 - title.length))}`),
    ...wrap(orchestration.story, WIDTH),
    '',
    paint('dim', `  > ${orchestration.prompt}`),
    '',
    paint('bold', '  Who called whom'),
    ...treeLines(report.calls, options, paint).map((line) => `  ${line}`),
    '',
    paint('bold', '  Context that flowed between plugins'),
    ...slotLines(report.slots, report.calls, paint),
    '',
    `  ${summary(report, options, paint)}`,
    ...report.problems.flatMap((problem) =>
      wrap(inert(problem), WIDTH - 4).map((line, i) => `  ${i === 0 ? paint('red', '✗') : ' '} ${line}`),
    ),
    '',
  ]
  return lines.join('\n')
}

/** The stopped and resumed workflow run: what each run did, and the requests that show nothing was redone. */
export function renderResume(
  report: ResumeReport,
  index: number,
  total: number,
  style: Style,
  options: { stable: boolean } = { stable: false },
): string {
  const paint = painter(style)
  const title = ` ${index}/${total}  ${RESUME.title} `
  const requests = (run: ResumeRun) =>
    Object.entries(run.requests)
      .map(([agent, n]) => `${RESUME.agents[agent]} ${n}`)
      .join(', ')
  const steps = (run: ResumeRun) =>
    run.steps
      .map((step) => {
        const [id, status] = step.split(' ')
        return `${id} ${paint(status === 'ok' ? 'green' : status === 'reused' ? 'cyan' : 'red', status ?? '')}`
      })
      .join(', ')
  const time = (run: ResumeRun) => (options.stable ? '' : paint('dim', ` (${(run.wallMs / 1000).toFixed(1)} s)`))
  return [
    paint('bold', `━━${title}${'━'.repeat(Math.max(3, WIDTH - 2 - title.length))}`),
    ...wrap(RESUME.story, WIDTH),
    '',
    paint('dim', `  > ${RESUME.prompt}`),
    '',
    `${paint('bold', '  First run, killed as the summary started')}${time(report.first)}`,
    `    steps:    ${steps(report.first)}`,
    `    requests: ${requests(report.first)}`,
    '',
    `${paint('bold', '  The same command again')}${time(report.again)}`,
    `    steps:    ${steps(report.again)}`,
    `    requests: ${requests(report.again)}`,
    '',
    paint('bold', '  Who called whom in the second run'),
    ...treeLines(report.again.calls, options, paint).map((line) => `  ${line}`),
    '',
    report.ok
      ? `  ${paint('green', '✓')} ${paint('dim', 'Receipts (step, target, version, hash of the inputs) brought the finished steps back.')}`
      : report.problems
          .flatMap((problem) =>
            wrap(inert(problem), WIDTH - 4).map((line, i) => `  ${i === 0 ? paint('red', '✗') : ' '} ${line}`),
          )
          .join('\n'),
    '',
  ].join('\n')
}

export function renderFooter(reports: Report[], style: Style, resume?: ResumeReport): string {
  const paint = painter(style)
  const failed = [
    ...reports.filter((r) => !r.ok).map((r) => r.orchestration.title),
    ...(resume && !resume.ok ? [RESUME.title] : []),
  ]
  const parts = reports.length + (resume ? 1 : 0)
  const calls = reports.reduce((n, r) => n + r.calls.length, 0)
  const seconds = (reports.reduce((n, r) => n + r.wallMs, 0) / 1000).toFixed(1)
  return [
    paint('bold', '━'.repeat(WIDTH)),
    failed.length === 0
      ? `${paint('green', '✓')} ${reports.length} orchestration${reports.length === 1 ? '' : 's'}, ${calls} cross-plugin calls, ${seconds} s${resume ? '; a workflow resumed, nothing redone' : ''}.\n  In your own sessions, /switchboard:trace draws these trees.`
      : `${paint('red', '✗')} ${failed.length} of ${parts} parts did not complete cleanly (see the ✗ lines): ${failed.join(', ')}.`,
  ].join('\n')
}

// --- internal ---

function treeLines(calls: CallView[], options: { stable: boolean }, paint: Paint): string[] {
  if (calls.length === 0) return ['main', '└─ (no cross-plugin call was traced)']
  const left = calls.map((c) => `${c.prefix}${inert(c.target)}${c.kind === 'agent' ? '' : ` (${c.kind})`}`)
  const leftWidth = Math.max(...left.map((l) => l.length))
  const statusWidth = Math.max(...calls.map((c) => status(c, options).length))
  return [
    'main',
    ...calls.flatMap((c, i) => {
      const reads = c.reads.length ? `gets ${c.reads.map(inert).join(', ')}` : ''
      const into = c.into ? `→ ${inert(c.into)}` : ''
      const room = WIDTH - 2 - leftWidth - statusWidth - 4
      const said = status(c, options)
      const word = paint(c.status === 'ok' ? 'green' : c.status === 'running' ? 'yellow' : 'red', c.status)
      const drawn = `${paint('dim', c.prefix)}${paint('cyan', inert(c.target))}${c.kind === 'agent' ? '' : paint('dim', ` (${c.kind})`)}${' '.repeat(leftWidth - left[i]!.length)}`
      const head = `${drawn}  ${word}${paint('dim', said.slice(c.status.length))}${' '.repeat(statusWidth - said.length)}  `
      const together = [reads, into].filter(Boolean).join('  ')
      if (together.length <= room) return [`${head}${paint('yellow', together)}`.trimEnd()]
      // Too long for one line: the return's slot goes under the slots it got, the tree drawn on.
      const below = `${c.prefix.replace('├─ ', '│  ').replace('└─ ', '   ')}${calls[i + 1]?.depth === c.depth + 1 ? '│' : ''}`
      return [
        `${head}${paint('yellow', shorten(reads, room))}`,
        `${paint('dim', below)}${' '.repeat(WIDTH - 2 - room - below.length)}${paint('yellow', shorten(into, room))}`,
      ]
    }),
  ]
}

function status(call: CallView, options: { stable: boolean }): string {
  return !options.stable && call.durationMs !== null && call.status !== 'denied'
    ? `${call.status} ${duration(call.durationMs)}`
    : call.status
}

function slotLines(slots: SlotView[], calls: CallView[], paint: Paint): string[] {
  if (slots.length === 0) return [`  ${paint('dim', '(no context slot was written)')}`]
  const nameWidth = Math.max(...slots.map((s) => s.name.length)) + 2
  return slots.flatMap((slot) => {
    // A return stored with `into` also went back to the one who made the call.
    const returnedTo = calls
      .filter((c) => c.into === slot.name && c.target === slot.writer)
      .map((c) => callerOf(c, calls))
    const to = [...new Set([...slot.readers, ...returnedTo.map((r) => `${r} (the return)`)])]
    const route = [
      `${inert(slot.writer)} →`,
      ...(to.length ? to.map((t, i) => `${inert(t)}${i < to.length - 1 ? ',' : ''}`) : ['kept in the session']),
    ]
    const pad = ' '.repeat(nameWidth + 2)
    const [first, ...more] = wrap(route, WIDTH - 2 - nameWidth)
    return [
      `  ${paint('yellow', inert(slot.name).padEnd(nameWidth))}${first}`,
      ...more.map((line) => `${pad}${line}`),
      `${pad}${paint('dim', shorten(slot.preview, WIDTH - 2 - nameWidth - 14))}${paint('dim', `  ${slot.chars} chars`)}`,
    ]
  })
}

function callerOf(call: CallView, calls: CallView[]): string {
  if (call.depth === 0) return 'main'
  const at = calls.findIndex((c) => c.id === call.id)
  return (
    calls
      .slice(0, at)
      .reverse()
      .find((c) => c.depth === call.depth - 1)?.target ?? 'its caller'
  )
}

function summary(report: Report, options: { stable: boolean }, paint: Paint): string {
  const kinds = new Map<string, number>()
  for (const call of report.calls) kinds.set(call.kind, (kinds.get(call.kind) ?? 0) + 1)
  const parts = [
    `${report.calls.length} call${report.calls.length === 1 ? '' : 's'} (${[...kinds].map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`).join(', ')})`,
    ...(options.stable ? [] : [`${(report.wallMs / 1000).toFixed(1)} s`]),
    ...(options.stable
      ? []
      : [
          report.modelRequests !== null
            ? `${report.modelRequests} requests to the stand-in model`
            : report.costUsd !== null
              ? `$${report.costUsd.toFixed(4)} (Claude Code's estimate)`
              : 'real model',
        ]),
  ]
  return paint('dim', parts.join(' · '))
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** Words (or given pieces, kept whole) to lines of at most `width` characters; a longer piece stands alone. */
function wrap(text: string | string[], width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of typeof text === 'string' ? text.split(' ') : text) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  return [...lines, line]
}

function shorten(text: string, room: number): string {
  const chars = Array.from(text)
  return chars.length <= room ? text : `${chars.slice(0, Math.max(0, room - 1)).join('')}…`
}
