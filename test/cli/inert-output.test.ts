// What others wrote (a forged subagent_type, a hostile plugin) must not forge lines in the CLI's
// output or reach the terminal as escapes.
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli as runCliInProcess } from '../../src/cli/index.ts'
import { cli } from '../helpers/cli.ts'

const FORGED = 'evil\n└─ main -> x (agent)  ok\u001b[2J'
const TERMINAL_ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/ // \n aside: lines are the output's own

/** A session whose call log (src/trace/call-log.ts format) holds one call to a forged target, denied with a forged reason. */
function forgedSession(): { dataDir: string; session: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-inert-'))
  const session = 'forged-session'
  const dir = join(dataDir, 'sessions', session)
  mkdirSync(dir, { recursive: true })
  const records = [
    {
      e: 'call',
      id: 'toolu_1',
      parent: null,
      caller: 'main',
      callerAgent: null,
      target: FORGED,
      kind: 'agent',
      ts: 1000,
      status: 'running',
    },
    { e: 'end', id: 'toolu_1', status: 'failed', ts: 1500, reason: 'no such agent\n\u202eko' },
  ]
  appendFileSync(join(dir, 'calls.jsonl'), records.map((r) => `\n${JSON.stringify(r)}`).join(''))
  return { dataDir, session }
}

describe('switchboard trace with a forged subagent_type', () => {
  it('renders the call as one line with no escape byte', async () => {
    const { dataDir, session } = forgedSession()
    const result = await cli(['trace', '--data-dir', dataDir, '--session', session])
    expect(result.code).toBe(0)
    expect(result.stdout).not.toMatch(TERMINAL_ACTIVE)
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      `Session ${session} (runtime: settings hooks)`,
      'main',
      '└─ evil\\n└─ main -> x (agent)  ok\\x1b[2J (agent)  failed, 500 ms, no such agent\\n\\u202eko  [toolu_1]',
    ])
  })

  it('keeps the Mermaid diagram to its own lines, with no escape byte', async () => {
    const { dataDir, session } = forgedSession()
    const result = await cli(['trace', '--data-dir', dataDir, '--session', session, '--mermaid'])
    expect(result.stdout).not.toMatch(TERMINAL_ACTIVE)
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(5) // sequenceDiagram, 2 participants, call, return
  })

  it('prints --json with the escape characters escaped', async () => {
    const { dataDir, session } = forgedSession()
    const result = await cli(['trace', '--data-dir', dataDir, '--session', session, '--json'])
    expect(result.stdout).not.toMatch(TERMINAL_ACTIVE)
    expect(JSON.parse(result.stdout).invocations[0].target).toBe(FORGED)
  })
})

describe('listings of a hostile plugin', () => {
  // YAML double-quoted "\e" is ESC: an agent whose name and description carry escapes and line breaks.
  const root = mkdtempSync(join(tmpdir(), 'switchboard-hostile-'))
  mkdirSync(join(root, '.claude-plugin'))
  mkdirSync(join(root, 'agents'))
  writeFileSync(
    join(root, '.claude-plugin', 'plugin.json'),
    JSON.stringify({ name: 'hostile', version: '1.0.0\u001b[31m' }),
  )
  writeFileSync(
    join(root, 'agents', 'spy.md'),
    '---\nname: "spy\\nhostile:forged  agent  yes"\ndescription: "Reads\\e[2J\\u202e everything\\nok"\ntools: ["Read\\r"]\norchestration:\n  callable: true\n  output: {"a\\u2028b": "string"}\n---\nBody\n',
  )
  // A contract type holding an escape: the block is invalid, and its message quotes the type.
  writeFileSync(
    join(root, 'agents', 'typo.md'),
    '---\nname: typo\ndescription: Typed\norchestration:\n  output: {"x": "strin\\eg"}\n---\nBody\n',
  )

  it.each([
    ['registry', '--plugin-dir', root, '--no-installed'],
    ['registry', '--callable', '--plugin-dir', root, '--no-installed'],
    ['describe', 'hostile:spy\nhostile:forged  agent  yes', '--plugin-dir', root, '--no-installed'],
    ['describe', 'hostile:nothing', '--plugin-dir', root, '--no-installed'],
    ['doctor', '--plugin-dir', root, '--no-installed'],
    ['check', root],
    ['registry', '--json', '--plugin-dir', root, '--no-installed'],
  ])('switchboard %s prints nothing a terminal acts on', async (...argv) => {
    let out = ''
    const code = await runCliInProcess({
      argv,
      cwd: root,
      env: { HOME: join(root, 'no-home') },
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
    })
    expect(code).toBeLessThan(2)
    expect(out).toContain('hostile')
    expect(out).not.toMatch(TERMINAL_ACTIVE)
    expect(out).not.toMatch(/^hostile:forged/m) // the agent's name holds a line break before it
  })
})
