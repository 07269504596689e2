// `switchboard workflow compile`, run as the bundled CLI, over the example plugins.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { cli, REPO } from '../helpers/cli.ts'
import { runIsolated } from '../helpers/isolated.ts'
import { EXAMPLES } from '../helpers/plugins.ts'

const SOURCES = EXAMPLES.flatMap((dir) => ['--plugin-dir', dir])

describe('switchboard workflow compile', () => {
  it('prints the script of a plugin workflow, with its warnings on stderr', async () => {
    const result = await cli(['workflow', 'compile', 'tdd-growth:distribute', ...SOURCES])
    expect(result.code).toBe(0)
    expect(result.stdout.startsWith('export const meta = {\n  name: "distribute",\n')).toBe(true)
    expect(result.stderr).toContain(
      'warning: steps.fan_out.parallel.seo: tdd-growth:seo is a command, and a Workflow script cannot call the Skill tool',
    )
  })

  it('writes --out, fixing the inputs given, and says how to run it', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'switchboard-compile-')), 'nested', 'illustrate.js')
    const result = await cli([
      'workflow',
      'compile',
      'tdd-editor:illustrate-draft',
      'style=sketch',
      '--out',
      out,
      ...SOURCES,
    ])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      `Compiled illustrate-draft (examples/tdd-editor/workflows/illustrate-draft.yaml): 2 steps in 2 waves -> ${out}\nRun it with Claude Code's Workflow tool: Workflow({ script: <the file's text>, args: { draft: ... } }).`,
    )
    expect(readFileSync(out, 'utf8')).toContain(
      '["style",{"type":"flat|sketch","optional":true,"default":"flat","fixed":"sketch"}]',
    )
  })

  it('replaces a script an earlier compile wrote, but never the workflow itself, nor another file without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-compile-'))
    const workflow = join(dir, 'illustrate.yaml')
    const source = join('examples', 'tdd-editor', 'workflows', 'illustrate-draft.yaml')
    copyFileSync(source, workflow)
    const compile = (out: string, ...more: string[]) =>
      cli(['workflow', 'compile', workflow, '--out', out, ...more, ...SOURCES])

    const itself = await compile(workflow, '--force')
    expect(itself.code).toBe(2)
    expect(itself.stderr).toContain(`--out ${workflow} is the workflow being compiled`)
    expect(readFileSync(workflow, 'utf8')).toBe(readFileSync(source, 'utf8'))

    const notes = join(dir, 'notes.js')
    writeFileSync(notes, 'my own code\n')
    const other = await compile(notes)
    expect(other.code).toBe(2)
    expect(other.stderr).toContain(`--out ${notes} exists and is not a script \`workflow compile\` wrote`)
    expect(readFileSync(notes, 'utf8')).toBe('my own code\n')
    expect((await compile(notes, '--force')).code).toBe(0)
    expect(readFileSync(notes, 'utf8')).toContain('export const meta = {')

    // Compiling again after a change replaces the earlier script: the usual loop needs no --force.
    expect((await compile(notes)).code).toBe(0)
  })

  // A cloned repository ships a link where its README says to compile to: the review made the user's memory file
  // (~/.claude/CLAUDE.md) with the workflow's text in it. Each attempt fails with the fix reverted.
  it('never writes through a link at --out, nor, run by Claude Code, outside the project', async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'switchboard-compile-')))
    const project = join(root, 'repo')
    const home = join(root, 'home', '.claude')
    mkdirSync(join(project, 'build'), { recursive: true })
    mkdirSync(home, { recursive: true })
    const memory = join(home, 'CLAUDE.md')
    symlinkSync(memory, join(project, 'build', 'illustrate.js'))
    // In the project: run by Claude Code, the workflow too is read only from there.
    const workflow = join(project, 'illustrate.yaml')
    copyFileSync(join('examples', 'tdd-editor', 'workflows', 'illustrate-draft.yaml'), workflow)
    const compile = (out: string, env: Record<string, string> = {}, ...more: string[]) =>
      cli(['workflow', 'compile', workflow, '--out', out, ...more, ...SOURCES], {
        env: { CLAUDE_PROJECT_DIR: project, ...env },
      })

    for (const env of [{}, { CLAUDECODE: '1' }] as Array<Record<string, string>>) {
      const linked = await compile(join(project, 'build', 'illustrate.js'), env, '--force')
      expect(linked.code).toBe(2)
      expect(linked.stderr).toContain('is a symbolic link, and Switchboard does not write through links')
      expect(existsSync(memory)).toBe(false)
    }

    // Run by Claude Code: a path outside the project, given outright or through a folder link, is refused.
    symlinkSync(home, join(project, 'out'))
    for (const out of [join(home, 'CLAUDE.md'), join(project, 'out', 'CLAUDE.md'), join(project, '..', 'x.js')]) {
      const outside = await compile(out, { CLAUDECODE: '1' })
      expect(outside.code).toBe(2)
      expect(outside.stderr).toContain('is outside the project')
    }
    expect(existsSync(memory)).toBe(false)
    expect(existsSync(join(root, 'x.js'))).toBe(false)

    // Inside the project, folders still to be made included, it writes; a person at a terminal writes where they say.
    expect((await compile(join(project, 'build', 'new', 'a.js'), { CLAUDECODE: '1' })).code).toBe(0)
    expect(readFileSync(join(project, 'build', 'new', 'a.js'), 'utf8')).toContain('export const meta = {')
    expect((await compile(join(root, 'elsewhere.js'))).code).toBe(0)
  })

  it('does not wait on a pipe at --out', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'switchboard-compile-')), 'out.js')
    execFileSync('mkfifo', [fifo])
    // In a child with a time limit: a read that waits for the pipe's writer would hold the test runner itself.
    const run = await runIsolated(`
      globalThis.__SWITCHBOARD_VERSION__ = 'test'
      const { runCli } = await import('./src/cli/run-cli.ts')
      let stderr = ''
      const code = await runCli({
        argv: ['workflow', 'compile', 'tdd-editor:illustrate-draft', '--out', ${JSON.stringify(fifo)}, ...${JSON.stringify(SOURCES)}],
        cwd: ${JSON.stringify(REPO)},
        env: { PATH: process.env.PATH ?? '', HOME: ${JSON.stringify(join(REPO, 'test', 'fixtures', 'no-home'))} },
        stdout: () => {},
        stderr: (text) => { stderr += text },
      })
      console.log(code, stderr)
    `)
    expect(run.timedOut).toBe(false)
    expect(run.stdout).toMatch(/^2 .*exists and is not a script `workflow compile` wrote/)
  })

  it("refuses a workflow that workflow check rejects, with the check's own messages", async () => {
    const result = await cli(['workflow', 'compile', 'test/fixtures/workflows/slot-before-write.yaml', ...SOURCES])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      'test/fixtures/workflows/slot-before-write.yaml: not compiled, because `switchboard workflow check` fails:',
    )
    expect(result.stdout).toContain('error WORKFLOW_SLOT_READ_BEFORE_WRITE')
  })

  it('refuses an input it does not declare, or a value of the wrong type, as a usage error', async () => {
    const unknown = await cli(['workflow', 'compile', 'tdd-editor:illustrate-draft', 'stlye=flat', ...SOURCES])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain(
      'switchboard workflow compile: there is no input "stlye". Inputs: draft, style. Usage: switchboard workflow compile <file.yaml | plugin:workflow>',
    )
    const wrong = await cli(['workflow', 'compile', 'tdd-editor:illustrate-draft', 'style=oils', ...SOURCES])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('input "style": "oils" is not one of flat, sketch')
  })

  it('answers --json with the script and its warnings', async () => {
    const result = await cli(['workflow', 'compile', 'tdd-tech:copy-edit-article', '--json', ...SOURCES])
    expect(result.code).toBe(0)
    const data = JSON.parse(result.stdout) as { workflow: string; warnings: string[]; script: string }
    expect(data.workflow).toBe('copy-edit-article')
    expect(data.warnings).toEqual([])
    expect(data.script).toContain('const PLAN = {')
  })

  it('is listed in help, beside workflow check and plan', async () => {
    expect((await cli(['help'])).stdout).toMatch(
      /\n {2}workflow compile +Compile a workflow to a script for Claude Code's native Workflow tool/,
    )
    // `workflow --help` names compile too, after check and plan.
    expect((await cli(['workflow', '--help'])).stdout).toMatch(
      /workflow plan [^\n]+\n[\s\S]+\nswitchboard workflow compile </,
    )
    expect((await cli(['workflow', 'compile', '--help'])).stdout).toContain(
      'switchboard workflow compile <file.yaml | plugin:workflow> [input=value | input=@file ...] [--out FILE [--force]]',
    )
  })
})
