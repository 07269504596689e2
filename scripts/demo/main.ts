/**
 * `npm start`: the three example orchestrations on the real Claude Code, one after the other, each
 * printed as it finishes, then a workflow stopped midway and run again (resume.ts). scripts/demo.mjs installs what is needed, bundles this file and runs it.
 *
 *   node scripts/demo.mjs [--version 2.1.332|2.1.331|2.1.197] [--only editor-designer,…,resume] [--live]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { PINNED_VERSIONS } from '../../test/helpers/claude.ts'
import type { PinnedVersion } from '../../test/helpers/claude.ts'
import { renderFooter, renderHeader, renderReport, renderResume } from './render.ts'
import { runResume } from './resume.ts'
import { runOrchestration, runtimeFor } from './run.ts'
import type { Report } from './run.ts'
import { ORCHESTRATIONS } from './scenarios.ts'

const USAGE = `Usage: npm start -- [--version ${PINNED_VERSIONS.join('|')}] [--only ${[...ORCHESTRATIONS.map((o) => o.id), 'resume'].join(',')}] [--live]`

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`)
  process.exit(2)
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        version: { type: 'string', default: '2.1.332' },
        only: { type: 'string' },
        live: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (thrown) {
    return fail((thrown as Error).message)
  }
})()
if (values.help) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}
if (!(PINNED_VERSIONS as readonly string[]).includes(values.version))
  fail(`--version ${values.version}: the demo runs the pinned Claude Code builds only: ${PINNED_VERSIONS.join(', ')}.`)
const version = values.version as PinnedVersion
const PARTS = [...ORCHESTRATIONS.map((o) => o.id), 'resume']
const wanted = values.only?.split(',').map((id) => id.trim()) ?? PARTS
const unknown = wanted.filter((id) => !PARTS.includes(id))
if (unknown.length > 0) fail(`--only ${unknown.join(',')}: no such part; there are ${PARTS.join(', ')}.`)
const apiKey = process.env.ANTHROPIC_API_KEY
if (values.live && !apiKey)
  fail(
    '--live needs ANTHROPIC_API_KEY set: it sends the prompts to the real model (and spends tokens). Without --live the demo is offline and free.',
  )

// Every session's home and project goes under one scratch folder, removed when the demo ends.
const scratch = mkdtempSync(join(tmpdir(), 'switchboard-demo-'))
process.env.TMPDIR = scratch
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }))

// Colour on a terminal; NO_COLOR turns it off, FORCE_COLOR on (https://no-color.org, https://force-color.org).
const style = { color: Boolean(process.env.FORCE_COLOR) || (process.stdout.isTTY === true && !process.env.NO_COLOR) }
const runtime =
  runtimeFor(version) === 'module'
    ? "Switchboard's hooks module"
    : 'the settings hooks (no hooks modules before 2.1.287)'
const model = values.live
  ? 'the REAL model: this spends tokens on your API key'
  : 'a scripted stand-in model on 127.0.0.1 (offline, no API key)'
process.stdout.write(`${renderHeader(style, `Claude Code ${version}, run by ${runtime}, answered by ${model}.`)}\n`)

const orchestrations = ORCHESTRATIONS.filter((o) => wanted.includes(o.id))
const total = orchestrations.length + (wanted.includes('resume') && !values.live ? 1 : 0)
const reports: Report[] = []
for (const [index, orchestration] of orchestrations.entries()) {
  const report = await runOrchestration(orchestration, {
    version,
    ...(values.live
      ? {
          live: {
            apiKey: apiKey!,
            ...(process.env.ANTHROPIC_BASE_URL ? { baseUrl: process.env.ANTHROPIC_BASE_URL } : {}),
          },
        }
      : {}),
  })
  reports.push(report)
  process.stdout.write(`${renderReport(report, index + 1, total, style)}\n`)
}
// Then a workflow stopped and run again (the stand-in only: a live model's turns cannot be stopped on cue).
const resume = wanted.includes('resume') && !values.live ? await runResume(version) : undefined
if (resume) process.stdout.write(`${renderResume(resume, orchestrations.length + 1, total, style)}\n`)
process.stdout.write(`${renderFooter(reports, style, resume)}\n`)
process.exit(reports.every((r) => r.ok) && resume?.ok !== false ? 0 : 1)
