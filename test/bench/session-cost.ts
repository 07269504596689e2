/**
 * What Switchboard adds to a real Claude Code session, end to end, next to its floor in the same run:
 * a session of the example plugins where one agent makes K nested cross-plugin calls, with and
 * without Switchboard, K = 0 and K = CALLS, interleaved rounds, medians. Each kind of session keeps
 * its home folder from round to round, as a user's does, so the registry snapshot is warm (a warm-up
 * session builds it first): the cost of a rebuild after plugins change is `npm run bench`'s registry part. The cost per call and the
 * one-time session cost are printed as bare `node` starts measured in the same run (absolute times on
 * a shared machine mean little). Run by `npm run bench` (scripts/bench-session.mjs).
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { callAgent, runClaude, say } from '../harness/index.ts'
import { EXAMPLES } from '../helpers/plugins.ts'
import { offlineEnv } from '../helpers/claude.ts'
import type { PinnedVersion } from '../helpers/claude.ts'

const CALLS = 10
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

const homes = new Map<string, string>()

async function session(version: PinnedVersion, calls: number, withSwitchboard: boolean): Promise<number> {
  const kind = `${version} ${calls} ${withSwitchboard}`
  // The project folder too: the snapshot is keyed by it.
  const home = homes.get(kind) ?? offlineEnv().HOME!
  homes.set(kind, home)
  const started = performance.now()
  const run = await runClaude({
    version,
    home,
    cwd: join(home, 'project'),
    prompt: 'Write about kites',
    plugins: EXAMPLES,
    withSwitchboard,
    scenario: {
      main: [{ call: callAgent('tdd-tech:tech-writer', 'Write about kites.') }, say('Done.')],
      agents: {
        'tdd-tech:tech-writer': [...Array.from({ length: calls }, (_, i) => ({ call: callAgent('tdd-editor:editor', `Edit part ${i + 1}.`) })), say('ARTICLE')],
        'tdd-editor:editor': [say('EDITED')],
      },
      maxRequests: 80,
    },
  })
  if (run.exitCode !== 0) throw new Error(`Claude Code ${version} exited ${run.exitCode}: ${run.stderr.slice(0, 300)}`)
  return performance.now() - started
}

function bareNode(): number {
  const started = performance.now()
  spawnSync(process.execPath, ['-e', '0'])
  return performance.now() - started
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

for (const version of ['2.1.332', '2.1.197'] as const) {
  const samples: Record<string, number[]> = { bare: [], a0: [], aK: [], b0: [], bK: [] }
  for (const calls of [0, CALLS]) for (const withSwitchboard of [false, true]) await session(version, calls, withSwitchboard) // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < 5; i++) samples.bare!.push(bareNode())
    samples.a0!.push(await session(version, 0, false))
    samples.b0!.push(await session(version, 0, true))
    samples.aK!.push(await session(version, CALLS, false))
    samples.bK!.push(await session(version, CALLS, true))
  }
  const bare = median(samples.bare!)
  const [a0, aK, b0, bK] = (['a0', 'aK', 'b0', 'bK'] as const).map((k) => median(samples[k]!))
  const perCall = (bK! - b0! - (aK! - a0!)) / CALLS
  const once = b0! - a0!
  const mode = version === '2.1.197' ? 'settings hooks' : 'hooks module'
  console.log(`Claude Code ${version} (${mode}), ${ROUNDS} rounds, bare node start ${bare.toFixed(1)} ms:`)
  console.log(`  per nested cross-plugin call: ${perCall.toFixed(1)} ms = ${(perCall / bare).toFixed(2)} bare-node starts (target: ${version === '2.1.197' ? 'at most 2, issue 11' : 'at most 0.1'})`)
  console.log(`  once per session: ${once.toFixed(0)} ms = ${(once / bare).toFixed(1)} bare-node starts (target: at most 3)`)
  console.log(`  sessions (median ms): without ${a0!.toFixed(0)} / ${aK!.toFixed(0)}, with ${b0!.toFixed(0)} / ${bK!.toFixed(0)} (0 / ${CALLS} calls)`)
}
