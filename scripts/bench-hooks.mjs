#!/usr/bin/env node
// Hook and CLI cost next to its floor, in the same run: the per-call settings hooks as Claude Code reaches
// them (a call to the `hook` tool of Switchboard's running MCP server, with a real session: registry
// snapshot of the example plugins, a call log of 200 records), SessionStart's process and the CLI's start,
// against a bare `node` process that reads stdin and exits. Interleaved rounds, medians; only ratios mean much.
// Usage: node scripts/bench-hooks.mjs [--rounds N]
import { spawn, spawnSync } from 'node:child_process'
import { createInterface } from 'node:readline'
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

// The MCP server, as Claude Code keeps it for the session; a hook is a tools/call of its `hook` tool, with
// the hook input's fields as its companion's hooks.json passes them (objects as JSON text).
const server = spawn(process.execPath, [join(root, 'plugin', 'mcp', 'server.mjs')], {
  env,
  stdio: ['pipe', 'pipe', 'inherit'],
})
const waiting = new Map()
createInterface({ input: server.stdout }).on('line', (line) => {
  const reply = JSON.parse(line)
  waiting.get(reply.id)?.(reply)
  waiting.delete(reply.id)
})
let nextId = 1
const request = (method, params) =>
  new Promise((resolve) => {
    const id = nextId++
    waiting.set(id, resolve)
    server.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`)
  })
const hook = async (input) => {
  const fields = Object.fromEntries(
    Object.entries(input).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  )
  const reply = await request('tools/call', { name: 'hook', arguments: fields })
  return reply.result?.isError ? { status: 1, stderr: reply.result.content[0].text } : { status: 0 }
}
await request('initialize', { protocolVersion: '2025-06-18', capabilities: {} })

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
  await hook(pre(`toolu_fill_${i}`))
  await hook({
    ...pre(`toolu_fill_${i}`),
    hook_event_name: 'PostToolUse',
    tool_response: { status: 'completed', agentId: `a${i}` },
  })
}

const measures = {
  'bare node (read stdin, exit)': () =>
    run(['-e', "process.stdin.resume(); process.stdin.on('end', () => {})"], pre('x')),
  'PreToolUse guard (allow, 200-record log), MCP': (i) => hook(pre(`toolu_bench_${i}`)),
  'PostToolUse (close the call), MCP': (i) =>
    hook({
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
    const result = await fn(round)
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`)
    samples[name].push(Number(process.hrtime.bigint() - started) / 1e6)
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const floor = median(samples['bare node (read stdin, exit)'])
console.log(
  `Hook benchmark: ${rounds} interleaved rounds, medians; each a real process, or (MCP) a call to the running MCP server.\n`,
)
for (const [name, values] of Object.entries(samples)) {
  const ms = median(values)
  const target = TARGETS[name]
  const verdict =
    target === undefined ? '' : `   (target: at most ${target}; ${ms / floor <= target ? 'met' : 'not met'})`
  console.log(
    `${name.padEnd(48)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / floor).toFixed(2).padStart(5)} x bare node${verdict}`,
  )
}
server.stdin.end()
rmSync(data, { recursive: true, force: true })
