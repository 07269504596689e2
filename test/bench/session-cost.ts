/**
 * What Switchboard adds to a real Claude Code session, end to end, next to its floor in the same run:
 * a session of the example plugins where one agent makes K nested cross-plugin calls (and one that calls
 * no agent at all), with nothing
 * else loaded, with Switchboard, and (where modules load) with a hooks module that does nothing, the
 * floor of module mode; K = 0 and K = CALLS, interleaved rounds, medians. Each kind of session keeps
 * its home and project from round to round, as a user's does, so the registry snapshot is warm (a
 * warm-up builds it; a rebuild is the registry benchmark's business). The costs are printed as bare
 * `node` starts measured in the same run (absolute times on a shared machine mean little). Run by
 * `npm run bench` (scripts/bench-session.mjs).
 *
 * The cost per nested call is each call's own wall time, from Claude Code's debug log: from one of the
 * calling agent's model requests to its next, which holds the model's scripted answer, the call and
 * every hook, hop and write around it in either runtime (PreToolUse and PostToolUse run outside the
 * Agent tool's own dispatch), median over every nested call of every round, against the same with
 * nothing loaded. The difference of whole sessions with CALLS calls and none, also printed, holds each
 * session's own spread of a few hundred milliseconds, ten times a call's cost, so its rounds stray from
 * -0.5 to 1 start either side of the same code (docs/runtimes.md).
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { callAgent, runClaude, say } from '../harness/index.ts'
import { HOOKS_PLUGIN, PLUGIN } from '../helpers/cli.ts'
import { EXAMPLES, FIXTURE } from '../helpers/plugins.ts'
import { offlineEnv } from '../helpers/claude.ts'
import type { PinnedVersion } from '../helpers/claude.ts'

const CALLS = 10
/**
 * A session that calls no agent (the person asks, the model answers): what most sessions of someone
 * with Switchboard installed are. Its once-per-session cost is printed beside the agent session's, as
 * Switchboard's MCP server starts only when its tools may be used (the example agents name them).
 */
const NO_AGENT = -1
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

const homes = new Map<string, string>()

/**
 * What a session loads beside the example plugins: nothing, Switchboard (with its companion
 * switchboard-hooks), or a hooks module that does nothing (the floor any module costs). Where modules
 * load, also Switchboard changed in one part, to show what it costs (BENCH_BREAKDOWN=0 leaves it out):
 * without its MCP server.
 */
type Load =
  | 'nothing'
  | 'switchboard'
  | 'idle module'
  | typeof PASS_THROUGH
  | typeof NO_MCP_SERVER
  | typeof OTHER_MODULE
  | typeof OTHER_SERVER
  | typeof OTHER_COMPANION
const NO_MCP_SERVER = 'switchboard less its MCP server' as const
/**
 * A module with Switchboard's three per-call hooks (spawn, report, an agent's turn end) that pass everything on:
 * the hops to a module's worker a call waits for, with none of Switchboard's work (test/fixtures/plugins).
 */
const PASS_THROUGH = 'pass-through module' as const
const MODULE_FIXTURES: Partial<Record<Load, string>> = {
  'idle module': 'idle-module',
  [PASS_THROUGH]: 'pass-through-module',
}
/** BENCH_MODULE=<file>: Switchboard with that hooks module in place of its own, to weigh a module build. */
const OTHER_MODULE = 'switchboard with BENCH_MODULE' as const
/** BENCH_SERVER=<file>: Switchboard with that MCP server bundle in place of its own (plugin/mcp/server.mjs). */
const OTHER_SERVER = 'switchboard with BENCH_SERVER' as const
/**
 * BENCH_COMPANION=<folder>: Switchboard with that companion plugin in place of its own (say, an earlier
 * version's plugin-hooks/, checked out), to weigh the per-call settings hooks where modules do not load.
 */
const OTHER_COMPANION = 'switchboard with BENCH_COMPANION' as const
const BREAKDOWN = process.env.BENCH_BREAKDOWN !== '0'

/** A copy of plugin/ changed by `edit` (given the copy's folder), and the companion, or with `alone` not. */
function pluginVariant(edit: (dir: string) => void): string[] {
  const copy = join(mkdtempSync(join(tmpdir(), 'switchboard-bench-plugin-')), 'switchboard')
  cpSync(PLUGIN, copy, { recursive: true })
  edit(copy)
  return [copy, HOOKS_PLUGIN]
}
const VARIANTS: Partial<Record<Load, string[]>> = BREAKDOWN
  ? { [NO_MCP_SERVER]: pluginVariant((dir) => rmSync(join(dir, '.mcp.json'))) }
  : {}
if (process.env.BENCH_MODULE)
  VARIANTS[OTHER_MODULE] = pluginVariant((dir) =>
    cpSync(process.env.BENCH_MODULE!, join(dir, 'hooks', 'bin', 'module.mjs')),
  )
if (process.env.BENCH_SERVER)
  VARIANTS[OTHER_SERVER] = pluginVariant((dir) => cpSync(process.env.BENCH_SERVER!, join(dir, 'mcp', 'server.mjs')))
if (process.env.BENCH_COMPANION) VARIANTS[OTHER_COMPANION] = [PLUGIN, process.env.BENCH_COMPANION]
/**
 * Beside copies changed in one part, Switchboard itself runs from an unchanged copy: sessions of a plugin copied
 * under the scratch folder read 40 to 50 ms later at their first turn than plugin/ in place (bench --phases, two
 * runs of 2026-12-03), with nothing that differs running before it, which tilted every comparison with a variant.
 */
if (Object.values(VARIANTS).some((plugins) => plugins[0] !== PLUGIN)) VARIANTS.switchboard = pluginVariant(() => {})

/** A session's wall time, and each nested call's (the writer's Agent calls, from the debug log). */
async function session(
  version: PinnedVersion,
  calls: number,
  load: Load,
): Promise<{ ms: number; nestedCalls: number[] }> {
  const kind = `${version} ${calls} ${load}`
  // The project folder too: the snapshot is keyed by it.
  const home = homes.get(kind) ?? offlineEnv().HOME!
  homes.set(kind, home)
  // A fresh file each time: Claude Code appends to one it finds.
  const debug = join(home, 'bench-debug.log')
  rmSync(debug, { force: true })
  const started = performance.now()
  const run = await runClaude({
    version,
    home,
    cwd: join(home, 'project'),
    prompt: 'Write about kites',
    plugins: [
      ...(MODULE_FIXTURES[load] ? [FIXTURE(MODULE_FIXTURES[load])] : []),
      ...(VARIANTS[load] ?? []),
      ...EXAMPLES,
    ],
    withSwitchboard: load === 'switchboard' && !VARIANTS.switchboard,
    extraArgs: ['--debug-file', debug],
    scenario: {
      main:
        calls === NO_AGENT
          ? [say('Kites fly.')]
          : [{ call: callAgent('tdd-tech:tech-writer', 'Write about kites.') }, say('Done.')],
      agents: {
        'tdd-tech:tech-writer': [
          ...Array.from({ length: calls }, (_, i) => ({ call: callAgent('tdd-editor:editor', `Edit part ${i + 1}.`) })),
          say('ARTICLE'),
        ],
        'tdd-editor:editor': [say('EDITED')],
      },
      maxRequests: 80,
    },
  })
  if (run.exitCode !== 0) throw new Error(`Claude Code ${version} exited ${run.exitCode}: ${run.stderr.slice(0, 300)}`)
  const ms = performance.now() - started
  const requests = [...readFileSync(debug, 'utf8').matchAll(WRITER_REQUEST)].map((m) => Date.parse(m[1]!))
  const nestedCalls = requests.slice(1).map((at, i) => at - requests[i]!)
  if (calls >= 0 && nestedCalls.length !== calls)
    throw new Error(`${kind}: the debug log shows ${nestedCalls.length} nested calls, not ${calls}`)
  return { ms, nestedCalls }
}

/** A model request of the writer, the agent that makes the nested calls (one before each, one after the last). */
const WRITER_REQUEST = /^(\S+) \[DEBUG\] \[API REQUEST\] \/v1\/messages source=agent:custom:tdd-tech:tech-writer$/gm

function bareNode(): number {
  const started = performance.now()
  spawnSync(process.execPath, ['-e', '0'])
  return performance.now() - started
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const verdict = (value: number, target: number): string =>
  `(target: at most ${target}; ${value <= target ? 'met' : 'not met'})`

for (const version of (process.env.BENCH_VERSIONS?.split(',') ?? ['2.1.332', '2.1.197']) as PinnedVersion[]) {
  const module = version !== '2.1.197'
  const loads: Load[] = module
    ? [
        'nothing',
        'switchboard',
        'idle module',
        ...(BREAKDOWN ? [PASS_THROUGH, NO_MCP_SERVER] : []),
        ...(process.env.BENCH_MODULE ? [OTHER_MODULE] : []),
        ...(process.env.BENCH_SERVER ? [OTHER_SERVER] : []),
      ]
    : ['nothing', 'switchboard', ...(process.env.BENCH_COMPANION ? [OTHER_COMPANION] : [])]
  const samples = new Map<string, number[]>()
  const sample = (key: string, value: number) => samples.set(key, [...(samples.get(key) ?? []), value])
  for (const load of loads) for (const calls of [NO_AGENT, 0, CALLS]) await session(version, calls, load) // warm-up: snapshots built, homes set up
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < 5; i++) sample('bare', bareNode())
    for (const load of loads)
      for (const calls of [NO_AGENT, 0, CALLS]) {
        const { ms, nestedCalls } = await session(version, calls, load)
        sample(`${load} ${calls}`, ms)
        for (const call of nestedCalls) sample(`${load} call`, call)
        if (nestedCalls.length > 0) sample(`${load} call round ${round}`, median(nestedCalls))
      }
  }
  const bare = median(samples.get('bare')!)
  const at = (load: Load, calls: number) => median(samples.get(`${load} ${calls}`)!)
  /** A nested call's own wall time, added to the same call with nothing loaded (the debug log's timing). */
  const perCall = (load: Load) => (median(samples.get(`${load} call`)!) - median(samples.get('nothing call')!)) / bare
  /** The same from whole sessions: CALLS calls against none, less the same difference with nothing loaded. */
  const perCallOfSessions = (load: Load) =>
    (at(load, CALLS) - at(load, 0) - (at('nothing', CALLS) - at('nothing', 0))) / CALLS / bare
  const once = (load: Load, calls = 0) => (at(load, calls) - at('nothing', calls)) / bare
  // The same figures round by round (each round ran every kind of session once): how far one run
  // strays, so that a verdict near its target is read as the noise it may be.
  const round = (load: Load, calls: number, r: number) => samples.get(`${load} ${calls}`)![r]!
  const rounds = Array.from({ length: ROUNDS }, (_, r) => r)
  const spread = (values: number[], digits: number) =>
    `(rounds: ${Math.min(...values).toFixed(digits)} to ${Math.max(...values).toFixed(digits)})`
  const perCallSpread = (load: Load) =>
    spread(
      rounds.map(
        (r) =>
          (median(samples.get(`${load} call round ${r}`)!) - median(samples.get(`nothing call round ${r}`)!)) / bare,
      ),
      2,
    )
  const perCallOfSessionsSpread = (load: Load) =>
    spread(
      rounds.map(
        (r) =>
          (round(load, CALLS, r) - round(load, 0, r) - (round('nothing', CALLS, r) - round('nothing', 0, r))) /
          CALLS /
          bare,
      ),
      2,
    )
  const onceSpread = (load: Load, calls = 0) =>
    spread(
      rounds.map((r) => (round(load, calls, r) - round('nothing', calls, r)) / bare),
      1,
    )
  console.log(
    `Claude Code ${version} (${module ? 'hooks module' : 'settings hooks'}), ${ROUNDS} rounds, bare node start ${bare.toFixed(1)} ms; costs in bare-node starts:`,
  )
  console.log(
    `  Switchboard, per nested cross-plugin call: ${perCall('switchboard').toFixed(2)} ${verdict(perCall('switchboard'), module ? 0.1 : 2)} ${perCallSpread('switchboard')}; each call ${median(samples.get('switchboard call')!).toFixed(0)} ms against ${median(samples.get('nothing call')!).toFixed(0)} ms with nothing loaded (debug log, ${samples.get('switchboard call')!.length} calls)`,
  )
  console.log(
    `    the same from whole sessions (${CALLS} calls against none): ${perCallOfSessions('switchboard').toFixed(2)} ${perCallOfSessionsSpread('switchboard')}`,
  )
  console.log(
    `  Switchboard, once per session: ${once('switchboard').toFixed(1)} ${verdict(once('switchboard'), 3)} ${onceSpread('switchboard')}`,
  )
  console.log(
    `  Switchboard, once per session that calls no agent: ${once('switchboard', NO_AGENT).toFixed(1)} ${verdict(once('switchboard', NO_AGENT), 3)} ${onceSpread('switchboard', NO_AGENT)}`,
  )
  if (module)
    console.log(
      `  a hooks module that does nothing (the floor of module mode): ${perCall('idle module').toFixed(2)} per call, ${once('idle module').toFixed(1)} once`,
    )
  if (module && BREAKDOWN) {
    console.log(
      `  a module whose three per-call hooks pass everything on (the hops alone): ${perCall(PASS_THROUGH).toFixed(2)} per call ${perCallSpread(PASS_THROUGH)}, ${once(PASS_THROUGH).toFixed(1)} once`,
    )
    console.log(
      `  of which the MCP server: ${(perCall('switchboard') - perCall(NO_MCP_SERVER)).toFixed(2)} per call, ${(once('switchboard') - once(NO_MCP_SERVER)).toFixed(1)} once`,
    )
  }
  if (!module && process.env.BENCH_COMPANION)
    console.log(
      `  Switchboard with ${process.env.BENCH_COMPANION} as its companion: ${perCall(OTHER_COMPANION).toFixed(2)} per call ${perCallSpread(OTHER_COMPANION)}, ${once(OTHER_COMPANION).toFixed(1)} once`,
    )
  if (module && process.env.BENCH_MODULE)
    console.log(
      `  Switchboard with ${process.env.BENCH_MODULE} as its module: ${perCall(OTHER_MODULE).toFixed(2)} per call, ${once(OTHER_MODULE).toFixed(1)} once, ${once(OTHER_MODULE, NO_AGENT).toFixed(1)} once calling no agent`,
    )
  if (module && process.env.BENCH_SERVER)
    console.log(
      `  Switchboard with ${process.env.BENCH_SERVER} as its MCP server: ${perCall(OTHER_SERVER).toFixed(2)} per call, ${once(OTHER_SERVER).toFixed(1)} once ${onceSpread(OTHER_SERVER)}, ${once(OTHER_SERVER, NO_AGENT).toFixed(1)} once calling no agent`,
    )
  console.log(
    `  sessions (median ms, no agent / 0 / ${CALLS} calls): ${loads.map((l) => `${l} ${at(l, NO_AGENT).toFixed(0)} / ${at(l, 0).toFixed(0)} / ${at(l, CALLS).toFixed(0)}`).join('; ')}`,
  )
}
