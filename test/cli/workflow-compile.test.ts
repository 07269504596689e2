// `switchboard workflow compile`, run as the bundled CLI, over the example plugins.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli } from '../helpers/cli.ts'
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
