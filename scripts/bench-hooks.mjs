#!/usr/bin/env node
// Hook and CLI cost next to its floor, in the same run: the PreToolUse guard (a real process with a real
// session: registry snapshot of the example plugins, a call log of 200 records), SessionStart and the
// CLI's start against a bare `node` process that reads stdin and exits. Interleaved rounds, medians; only ratios mean much.
// Usage: node scripts/bench-hooks.mjs [--rounds N]
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const roundsArg = process.argv.indexOf('--rounds')
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 30
const data = mkdtempSync(join(tmpdir(), 'switchboard-bench-hooks-'))
const env = {
  PATH: process.env.PATH,
  HOME: join(data, 'home'),
  SWITCHBOARD_DATA_DIR: data,
  SWITCHBOARD_PLUGIN_DIRS: ['tdd-editor', 'tdd-design', 'tdd-tech', 'tdd-growth']
    .map((p) => join(root, 'examples', p))
    .join(':'),
}
const sessionId = 'bench'
const run = (args, input) => spawnSync(process.execPath, args, { input: JSON.stringify(input), env, encoding: 'utf8' })

run([join(root, 'plugin', 'hooks', 'bin', 'session-start.cjs')], {
  session_id: sessionId,
  cwd: data,
  hook_event_name: 'SessionStart',
  source: 'startup',
})
const pre = (id) => ({
  session_id: sessionId,
  cwd: data,
  hook_event_name: 'PreToolUse',
  tool_name: 'Agent',
  tool_use_id: id,
  tool_input: { description: 'd', prompt: 'p', subagent_type: 'tdd-editor:editor' },
})
for (let i = 0; i < 100; i++) {
  run([join(root, 'plugin-hooks', 'hooks', 'bin', 'pre-tool-use.cjs')], pre(`toolu_fill_${i}`))
  run([join(root, 'plugin-hooks', 'hooks', 'bin', 'post-tool-use.cjs')], {
    ...pre(`toolu_fill_${i}`),
    hook_event_name: 'PostToolUse',
    tool_response: { status: 'completed', agentId: `a${i}` },
  })
}

const measures = {
  'bare node (read stdin, exit)': () =>
    run(['-e', "process.stdin.resume(); process.stdin.on('end', () => {})"], pre('x')),
  'PreToolUse guard (allow, 200-record log)': (i) =>
    run([join(root, 'plugin-hooks', 'hooks', 'bin', 'pre-tool-use.cjs')], pre(`toolu_bench_${i}`)),
  'PostToolUse (close the call)': (i) =>
    run([join(root, 'plugin-hooks', 'hooks', 'bin', 'post-tool-use.cjs')], {
      ...pre(`toolu_bench_${i}`),
      hook_event_name: 'PostToolUse',
      tool_response: { status: 'completed', agentId: `b${i}` },
    }),
  'SessionStart (snapshot fresh)': () =>
    run([join(root, 'plugin', 'hooks', 'bin', 'session-start.cjs')], {
      session_id: sessionId,
      cwd: data,
      hook_event_name: 'SessionStart',
      source: 'startup',
    }),
  'switchboard --version': () => run([join(root, 'plugin', 'bin', 'switchboard'), '--version'], {}),
  'switchboard help': () => run([join(root, 'plugin', 'bin', 'switchboard'), 'help'], {}),
}
/** The targets of issue 11, in bare-node starts. */
const TARGETS = { 'SessionStart (snapshot fresh)': 1.5, 'switchboard --version': 1.3 }
const samples = Object.fromEntries(Object.keys(measures).map((k) => [k, []]))
for (let round = 0; round < rounds; round++) {
  for (const [name, fn] of Object.entries(measures)) {
    const started = process.hrtime.bigint()
    const result = fn(round)
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`)
    samples[name].push(Number(process.hrtime.bigint() - started) / 1e6)
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const floor = median(samples['bare node (read stdin, exit)'])
console.log(`Hook benchmark: ${rounds} interleaved rounds, medians, each a real process.\n`)
for (const [name, values] of Object.entries(samples)) {
  const ms = median(values)
  const target = TARGETS[name]
  const verdict =
    target === undefined ? '' : `   (target: at most ${target}; ${ms / floor <= target ? 'met' : 'not met'})`
  console.log(
    `${name.padEnd(44)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / floor).toFixed(2).padStart(5)} x bare node${verdict}`,
  )
}
rmSync(data, { recursive: true, force: true })
