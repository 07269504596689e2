// Files a model names to Switchboard's MCP server (`key=@file`, `input=@file`, a workflow's path) are read
// the way the model's own Read could: and never in a way that holds the server. In settings mode that
// server answers every guarded call's hooks, and a hook Claude Code does not hear back from in time lets
// the call through unchecked; so a FIFO in the project (`mkfifo plans.yaml`), which a plain read waits on
// until something writes to it, or a file of gigabytes, must be refused at once.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PLUGIN } from '../helpers/cli.ts'
import { recordSessionProcess } from '../../src/trace/index.ts'
import { hookSession } from '../helpers/hooks.ts'
import { writeFiles } from '../helpers/testdir.ts'

const WORKFLOW = `inputs: { draft: markdown }
steps:
  - id: edit
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.draft } }
`

/** The bundled server, asked `calls` in one go; its replies by id, or whatever it had answered when it was stopped. */
function askServer(
  calls: Array<{ name: string; arguments: Record<string, unknown> }>,
  prepare?: (project: string, session: string) => void,
) {
  const s = hookSession('model-files')
  recordSessionProcess(s.data, process.pid, s.sessionId) // this process plays the Claude Code that started the server
  const project = s.home
  writeFiles(project, { 'w.yaml': WORKFLOW, 'draft.md': 'Kites fly.\n' })
  execFileSync('mkfifo', [join(project, 'plans.yaml')])
  execFileSync('mkfifo', [join(project, 'pipe.md')])
  writeFileSync(join(project, 'huge.md'), 'x'.repeat(3 * 1024 * 1024))
  prepare?.(project, s.dir)
  const input = calls
    .map((params, i) => JSON.stringify({ jsonrpc: '2.0', id: i + 1, method: 'tools/call', params }))
    .join('\n')
  const result = spawnSync(process.execPath, [join(PLUGIN, 'mcp', 'server.mjs')], {
    input: `${input}\n`,
    encoding: 'utf8',
    timeout: 20_000,
    cwd: project,
    env: { ...s.env, PATH: process.env.PATH ?? '', CLAUDE_PROJECT_DIR: project },
  })
  const replies = result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { id: number; result: { content: Array<{ text: string }> } })
  return new Map(replies.map((r) => [r.id, r.result.content[0]!.text]))
}

describe("files a model names to Switchboard's MCP server", () => {
  it('refuses a pipe or a huge file at once, and still reads an ordinary one', () => {
    const replies = askServer([
      { name: 'plan_workflow', arguments: { line: 'plans.yaml' } },
      { name: 'run_workflow', arguments: { line: 'w.yaml draft=@pipe.md' } },
      { name: 'plan_call', arguments: { target: 'tdd-editor:editor', args: { draft: '@pipe.md' } } },
      { name: 'plan_call', arguments: { target: 'tdd-editor:editor', args: { draft: '@huge.md' } } },
      { name: 'plan_workflow', arguments: { line: 'w.yaml draft=@huge.md' } },
      { name: 'plan_call', arguments: { target: 'tdd-editor:editor', args: { draft: '@draft.md' } } },
      { name: 'context_get', arguments: { name: 'draft' } },
    ])
    // Every request answered: none held the server.
    expect([...replies.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(replies.get(1)).toContain('plans.yaml is not a regular file (a folder, a pipe or a device)')
    expect(replies.get(2)).toContain('pipe.md is not a regular file')
    expect(replies.get(3)).toContain('pipe.md is not a regular file')
    expect(replies.get(4)).toContain('huge.md is 3145728 bytes, more than the 1048576')
    expect(replies.get(5)).toContain('huge.md is 3145728 bytes')
    expect(replies.get(6)).toContain('"prompt": "draft: $draft"') // the file's text went to a slot
    expect(replies.get(7)).toContain('Kites fly.')
  })

  it("reads the project's policy file without waiting: a pipe there is an unreadable policy, which fails closed", () => {
    const replies = askServer(
      [{ name: 'plan_call', arguments: { target: 'tdd-editor:editor', args: { draft: 'Kites fly.' } } }],
      (project) => {
        mkdirSync(join(project, '.claude', 'switchboard'), { recursive: true })
        execFileSync('mkfifo', [join(project, '.claude', 'switchboard', 'policy.json')])
      },
    )
    expect(replies.get(1)).toContain('policy.json: cannot be read (it is not a regular file (a pipe or a device))')
  })

  it("answers at once when a file of the session's data is a pipe or far too large, which a model's Bash step can make", () => {
    for (const make of [
      (session: string) => execFileSync('mkfifo', [join(session, 'calls.jsonl')]),
      (session: string) => writeFileSync(join(session, 'calls.jsonl'), '\n'.repeat(17 * 1024 * 1024)),
    ]) {
      const replies = askServer(
        [
          { name: 'trace', arguments: { format: 'tree' } },
          { name: 'plan_call', arguments: { target: 'tdd-editor:editor', args: { draft: 'Kites fly.' } } },
        ],
        (_project, session) => make(session),
      )
      expect([...replies.keys()].sort()).toEqual([1, 2])
      // Its calls cannot be counted: a guard failure, which says what to do (and strict mode refuses).
      expect(replies.get(2)).toMatch(
        /^Switchboard's plan_call failed: cannot read the session's call log \S+calls\.jsonl \((ENOTREG|EFBIG)/,
      )
      expect(replies.get(2)).not.toContain('bug')
    }
  })

  it('reads a policy linked to a /proc file that never ends as what fstat says it holds: nothing, so unreadable', () => {
    const replies = askServer(
      [{ name: 'plan_call', arguments: { target: 'tdd-editor:editor', args: { draft: 'Kites fly.' } } }],
      (project) => {
        mkdirSync(join(project, '.claude', 'switchboard'), { recursive: true })
        symlinkSync('/proc/self/pagemap', join(project, '.claude', 'switchboard', 'policy.json'))
      },
    )
    expect(replies.get(1)).toContain('policy.json: not valid JSON')
  })
})
