/**
 * Where a session's start goes, from Claude Code's debug log: for sessions of the example plugins
 * with nothing else loaded, with a hooks module that does nothing, and with Switchboard, the time
 * from the process's first log line to each step of its start (the module's analysis and load, the
 * commands and MCP configurations, SessionStart, tool.list, the first turn and the first model
 * request), interleaved rounds, medians, in ms and in bare `node` starts measured in the same run.
 * The once-per-session cost `npm run bench` prints is the sum of these steps' differences; this says
 * which step holds it (docs/runtimes.md, "What it costs"). Each session writes a fresh debug file:
 * Claude Code appends to one it finds.
 * Run by `node scripts/bench-session.mjs --phases` (BENCH_VERSIONS, BENCH_ROUNDS as for the bench).
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { callAgent, runClaude, say } from '../harness/index.ts'
import { offlineEnv } from '../helpers/claude.ts'
import type { PinnedVersion } from '../helpers/claude.ts'
import { EXAMPLES, FIXTURE } from '../helpers/plugins.ts'
import { HOOKS_PLUGIN, PLUGIN } from '../helpers/cli.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
/**
 * BENCH_MODULE=<file>, BENCH_SERVER=<file>: also Switchboard with that hooks module, or that MCP server bundle, in
 * place of its own (both may be given), to weigh a build of either.
 */
const OTHER = 'BENCH_MODULE/SERVER'
const LOADS = [
  'nothing',
  'idle module',
  'switchboard',
  ...(process.env.BENCH_MODULE || process.env.BENCH_SERVER ? [OTHER] : []),
] as const
type Load = (typeof LOADS)[number]
/** A copy of plugin/, with `edit` made to it. */
function pluginCopy(edit: (copy: string) => void = () => {}): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'switchboard-bench-plugin-')), 'switchboard')
  cpSync(PLUGIN, copy, { recursive: true })
  edit(copy)
  return copy
}
const otherPlugin =
  process.env.BENCH_MODULE || process.env.BENCH_SERVER
    ? pluginCopy((copy) => {
        if (process.env.BENCH_MODULE) cpSync(process.env.BENCH_MODULE, join(copy, 'hooks', 'bin', 'module.mjs'))
        if (process.env.BENCH_SERVER) cpSync(process.env.BENCH_SERVER, join(copy, 'mcp', 'server.mjs'))
      })
    : undefined
/**
 * Beside such a copy, Switchboard itself runs from an unchanged copy too: a session of a plugin copied under the
 * scratch folder read tens of milliseconds slower than one of plugin/ in place, before any of the changed code ran.
 */
const ownPlugin = otherPlugin ? pluginCopy() : undefined

/** The debug log's lines that mark each step, in the order a session reaches them. */
const STEPS: Array<[string, RegExp]> = [
  ['module analysed (worker spawned)', /hooks worker spawned/],
  ['module loaded', /hooks module \S+@inline loaded/],
  ['commands and agents loaded', /\[STARTUP\] Commands and agents loaded/],
  ['MCP configurations resolved', /\[STARTUP\] MCP configs resolved/],
  ['classic.SessionStart settled', /switchboard@inline classic\.SessionStart settled/],
  ['tool.list settled (the invoke tool added)', /switchboard@inline tool\.list settled/],
  ["Switchboard's MCP server connected", /plugin:switchboard:switchboard": Successfully connected/],
  ['first turn started', /\[engine\] turn 1 start/],
  ['first model request', /API REQUEST/],
]
/**
 * BENCH_AGENT=1: the session's model calls one of the example agents (which names Switchboard's MCP
 * tools, so its spawn connects the server), and these steps follow: where an agent session's
 * once-per-session cost goes beyond the start's.
 */
const AGENT = process.env.BENCH_AGENT === '1'
const AGENT_STEPS: Array<[string, RegExp]> = [
  ['Agent call dispatched', /tool_dispatch_start tool=Agent/],
  ["Switchboard's MCP server dialled", /\$\.mcp\.connect \(switchboard\): .* connecting/],
  ["Switchboard's MCP server connected", /plugin:switchboard:switchboard": Successfully connected/],
  ["agent's first model request", /API REQUEST.*source=agent/],
  ['agent completed', /agent_completion/],
  ['Agent call ended', /tool_dispatch_end tool=Agent/],
]
const LAST_STEPS: Array<[string, RegExp]> = [
  ['last model request', /API REQUEST/],
  ['last log line', /./],
]

const CLASSIC_SESSION_START = /@inline classic\.SessionStart settled in ([\d.]+)ms/
const SESSION_START_OWN = 'classic.SessionStart took (ms, not an offset)'

const homes = new Map<Load, string>()

/** One session's debug log, as ms from its first line to each step (absent: the step did not happen). */
async function phases(version: PinnedVersion, load: Load, round: number): Promise<Map<string, number>> {
  const home = homes.get(load) ?? offlineEnv().HOME!
  homes.set(load, home)
  const debug = join(home, `debug-${round}.log`)
  rmSync(debug, { force: true })
  const run = await runClaude({
    version,
    home,
    cwd: join(home, 'project'),
    prompt: AGENT ? 'Write about kites' : 'Hello',
    plugins: [
      ...(load === 'idle module' ? [FIXTURE('idle-module')] : []),
      ...(load === OTHER ? [otherPlugin!, HOOKS_PLUGIN] : []),
      ...(load === 'switchboard' && ownPlugin ? [ownPlugin, HOOKS_PLUGIN] : []),
      ...EXAMPLES,
    ],
    withSwitchboard: load === 'switchboard' && !ownPlugin,
    extraArgs: ['--debug-file', debug],
    scenario: AGENT
      ? {
          main: [{ call: callAgent('tdd-tech:tech-writer', 'Write about kites.') }, say('Done.')],
          agents: { 'tdd-tech:tech-writer': [say('ARTICLE')] },
        }
      : { main: [say('Hi.')] },
  })
  if (run.exitCode !== 0) throw new Error(`Claude Code ${version} exited ${run.exitCode}: ${run.stderr.slice(0, 300)}`)
  const lines = readFileSync(debug, 'utf8').split('\n')
  const at = (line: string) => Date.parse(line.slice(0, 24))
  const start = at(lines[0]!)
  const found = new Map<string, number>()
  for (const [step, marker] of [...STEPS, ...(AGENT ? AGENT_STEPS : [])]) {
    const line = lines.find((l) => marker.test(l))
    if (line) found.set(step, at(line) - start)
  }
  // The module's own share of SessionStart, which the session waits for (the debug log says how long it took).
  const settled = lines.find((l) => CLASSIC_SESSION_START.test(l))
  if (settled) found.set(SESSION_START_OWN, Number(CLASSIC_SESSION_START.exec(settled)![1]))
  for (const [step, marker] of LAST_STEPS) {
    const line = lines.findLast((l) => marker.test(l) && !Number.isNaN(at(l)))
    if (line) found.set(step, at(line) - start)
  }
  return found
}

function bareNode(): number {
  const started = performance.now()
  spawnSync(process.execPath, ['-e', '0'])
  return performance.now() - started
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

for (const version of (process.env.BENCH_VERSIONS?.split(',') ?? ['2.1.332']) as PinnedVersion[]) {
  const samples = new Map<string, number[]>()
  const sample = (key: string, value: number) => samples.set(key, [...(samples.get(key) ?? []), value])
  for (const load of LOADS) await phases(version, load, -1) // warm-up: snapshots built, homes set up
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < 3; i++) sample('bare', bareNode())
    for (const load of LOADS)
      for (const [step, ms] of await phases(version, load, round)) sample(`${load}\n${step}`, ms)
  }
  const bare = median(samples.get('bare')!)
  console.log(
    `Claude Code ${version}: where a session's start goes, ms from the process's first log line (medians of ${ROUNDS} interleaved rounds; bare node start ${bare.toFixed(1)} ms)`,
  )
  console.log(`  ${''.padEnd(38)}${LOADS.map((load) => load.padStart(14)).join('')}   switchboard - idle module`)
  for (const [step] of [...STEPS, ...(AGENT ? AGENT_STEPS : []), ...LAST_STEPS, [SESSION_START_OWN]]) {
    const cell = (load: Load) => {
      const values = samples.get(`${load}\n${step}`)
      return values ? median(values) : undefined
    }
    const cells = LOADS.map((load) => String(cell(load) ?? '-').padStart(14)).join('')
    const ours = cell('switchboard')
    const idle = cell('idle module')
    const extra =
      ours !== undefined && idle !== undefined
        ? `   ${String(ours - idle).padStart(5)} ms (${((ours - idle) / bare).toFixed(1)} starts)`
        : ''
    console.log(`  ${step.padEnd(38)}${cells}${extra}`)
  }
}
