// `switchboard workflow check` and `workflow plan`, run as the bundled CLI, over the example plugins.
import { writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, REPO } from '../helpers/cli.ts'
import { testdir } from '../helpers/testdir.ts'

const SOURCES = ['--marketplace-root', REPO, '--no-installed']

describe('switchboard workflow check', () => {
  it.each(['tdd-editor:illustrate-draft', 'tdd-tech:copy-edit-article', 'tdd-growth:distribute'])(
    'passes the example %s, found by its plugin and name',
    async (id) => {
      const result = await cli(['workflow', 'check', id, ...SOURCES])
      expect(result.stdout).toContain('No problems found.')
      expect(result.stdout).toContain('workflow check passes: 0 errors, 0 warnings')
      expect(result.code).toBe(0)
    },
  )

  // Found by a docs review: the CLI took `x:y.json` for plugin x's workflow y.json, which /switchboard:run and the
  // invoke tool read as a file (src/workflow/workflow-spec.ts is the one rule now).
  it('reads a name ending in .json as a file, as /switchboard:run and the invoke tool do', async () => {
    const dir = testdir()
    writeFileSync(
      join(dir, 'tdd-growth:notes.json'),
      JSON.stringify({ name: 'notes', steps: [{ id: 'sum', invoke: 'tdd-growth:summarizer', args: { text: 'hi' } }] }),
    )
    const result = await cli(['workflow', 'check', 'tdd-growth:notes.json', ...SOURCES], { cwd: dir })
    expect(result.stdout).toContain('tdd-growth:notes.json')
    expect(result.stdout).not.toContain('has no workflow')
  })

  it('names the file, the step and the fix, and exits 1', async () => {
    const result = await cli(['workflow', 'check', 'test/fixtures/workflows/cycle.yaml', ...SOURCES])
    expect(result.stdout).toContain(
      'cycle (test/fixtures/workflows/cycle.yaml): 1 step in 1 wave, caller tdd-growth:distributor',
    )
    expect(result.stdout).toContain(
      "test/fixtures/workflows/cycle.yaml (steps.again.invoke): error WORKFLOW_CYCLE: cycle: a step may not call the workflow's caller, tdd-growth:distributor, which is already running when the workflow runs as it. Call another component, or write caller: main.",
    )
    expect(result.stdout).toContain('workflow check fails: 1 error, 0 warnings')
    expect(result.code).toBe(1)
  })

  it('prints diagnostics as JSON with --json', async () => {
    const result = await cli([
      'workflow',
      'check',
      'test/fixtures/workflows/slot-before-write.yaml',
      '--json',
      ...SOURCES,
    ])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({
      workflow: 'slot-before-write',
      diagnostics: [
        {
          code: 'WORKFLOW_SLOT_READ_BEFORE_WRITE',
          severity: 'error',
          path: 'steps.illustrate.invoke.args.content',
          file: join(REPO, 'test/fixtures/workflows/slot-before-write.yaml'),
        },
      ],
    })
  })

  it('reports a file it cannot parse with the line', async () => {
    const dir = testdir({ 'bad.yaml': 'steps:\n  - id: a\n   invoke: x\n' })
    const result = await cli(['workflow', 'check', join(dir, 'bad.yaml'), ...SOURCES])
    expect(result.stdout).toContain(
      'error WORKFLOW_INVALID_YAML: line 3, column 1: Sequence item without - indicator. Fix the YAML syntax.',
    )
    expect(result.code).toBe(1)
  })

  it('says which workflows a plugin has when the name is wrong, and refuses usage mistakes with exit 2', async () => {
    const unknown = await cli(['workflow', 'check', 'tdd-growth:distribution', ...SOURCES])
    expect(unknown.stderr).toBe(
      'switchboard workflow: plugin "tdd-growth" has no workflow "tdd-growth:distribution". It has: tdd-growth:distribute.\n',
    )
    expect(unknown.code).toBe(1)
    // A plugin.json that does not parse: the plugin is named after its folder, and the message says so.
    const broken = testdir({
      '.claude-plugin/plugin.json': '{"name": "nc-writer",}',
      'workflows/x.yaml': 'steps: []\n',
    })
    const unloaded = await cli(['workflow', 'check', 'nc-writer:x', '--plugin-dir', broken, '--no-installed'])
    expect(unloaded).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        `Claude Code does not load: ${basename(broken)} at ${broken} (corrupt manifest file: not valid JSON`,
      ),
    })
    // `run` is the one a newcomer tries: it says where a run happens.
    expect(await cli(['workflow', 'run', 'x'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('a workflow runs inside Claude Code: type `/switchboard:run'),
    })
    expect((await cli(['workflow', 'lint', 'x'])).stderr).toContain('unknown action "lint"; use check, plan or compile')
    expect((await cli(['workflow', 'check'])).stderr).toContain('missing <file | plugin:workflow>')
    expect((await cli(['workflow', 'check', 'a.yaml', 'x=1'])).code).toBe(2)
  })
})

describe('switchboard workflow plan', () => {
  it('prints the waves, each call with its target, kind, tool and verdict, with inputs from files', async () => {
    const dir = testdir({ 'article.md': '# Launch\n\nWe ship $5 plans today.\n' })
    const result = await cli([
      'workflow',
      'plan',
      'tdd-growth:distribute',
      `article=@${join(dir, 'article.md')}`,
      ...SOURCES,
    ])
    expect(result.stdout).toContain(
      'Workflow distribute (examples/tdd-growth/workflows/distribute.yaml), caller tdd-growth:distributor',
    )
    expect(result.stdout).toContain(
      'Wave 1: parallel group fan_out, 3 steps, up to 3 at once\n  edit: tdd-editor:editor (agent, Agent tool)  allowed\n      draft = # Launch We ship $$5 plans today.',
    )
    expect(result.stdout).toContain('  seo: tdd-growth:seo (command, Skill tool)  allowed')
    expect(result.stdout).toContain(
      'Wave 2:\n  summarize: tdd-growth:summarizer (agent, Agent tool)  allowed\n      article = $edited_article',
    )
    expect(result.stdout).toContain('Budget: 8 calls, 15m; the steps may make up to 5 calls.')
    expect(result.stdout).toContain('Every call is allowed. Nothing was run; no tokens were spent.')
    expect(result.code).toBe(0)
  })

  it('says a workflow path that names no file, or a folder, is that, with the fix', async () => {
    const missing = await cli(['workflow', 'check', join(testdir(), 'nope.yaml'), '--no-installed'])
    expect(missing.stdout).toContain(
      "error WORKFLOW_UNREADABLE: there is no such file. Check the path, or name a plugin's workflow as <plugin>:<workflow>",
    )
    // Its calls wait for the file to read as a workflow: the header says so, rather than "cannot read".
    expect(missing.stdout).toContain(': fix these first; its calls (targets, kinds, contracts, callers) are checked')
    const folder = await cli(['workflow', 'check', testdir(), '--no-installed'])
    expect(folder.stdout).toContain('error WORKFLOW_UNREADABLE: it is a folder. Give a workflow file (.yaml)')
  })

  it('refuses an input given twice, rather than keep one of them silently', async () => {
    const result = await cli(['workflow', 'plan', 'tdd-growth:distribute', 'article=hi', 'article=bye', ...SOURCES])
    expect(result).toMatchObject({ code: 2, stdout: '' })
    expect(result.stderr).toContain('input "article" is given twice; give each input once')
  })

  it('shows a denied call and a missing input as what would stop a run, exit 1, and plans as JSON', async () => {
    const result = await cli(['workflow', 'plan', 'test/fixtures/workflows/private-target.yaml', ...SOURCES])
    expect(result.stdout).toContain(
      '  colours: tdd-design:palette (agent, Agent tool)  DENIED: private: tdd-design:palette is private to plugin "tdd-design"',
    )
    expect(result.stdout).toContain(
      'A run would stop here:\n  - input "subject" (string) is required. Add subject=<value>.',
    )
    expect(result.code).toBe(1)
    const json = await cli([
      'workflow',
      'plan',
      'tdd-tech:copy-edit-article',
      'topic=Release 2.0',
      '--json',
      ...SOURCES,
    ])
    expect(JSON.parse(json.stdout).plan).toMatchObject({
      caller: 'main',
      inputs: { topic: 'Release 2.0' },
      waves: [
        { steps: [{ id: 'draft', target: 'tdd-tech:tech-writer' }] },
        { steps: [{ id: 'copy_edit', requested: 'copy-editing@^1', target: 'tdd-editor:editor' }] },
      ],
      problems: [],
    })
    expect(json.code).toBe(0)
  })

  it('plans a workflow file that is not in any plugin, against installed plugins', async () => {
    const dir = testdir({})
    writeFileSync(
      join(dir, 'mine.yaml'),
      'inputs: { draft: markdown }\nsteps:\n  - id: edit\n    invoke: { capability: copy-editing@^1, args: { draft: $inputs.draft } }\n',
    )
    const result = await cli(['workflow', 'plan', join(dir, 'mine.yaml'), 'draft=hello', ...SOURCES])
    expect(result.stdout).toContain(
      '  edit: tdd-editor:editor (agent, Agent tool) [copy-editing@^1: tdd-editor:editor is the only provider of copy-editing@^1 (1.0.0).]  allowed',
    )
    expect(result.code).toBe(0)
  })
})

// Found by review: the registry keeps disabled and refused plugins, and a disabled twin's workflow of the same
// id, listed first, was the one planned and run, as the enabled plugin's.
describe('a workflow id two plugins of one name offer', () => {
  it("is the enabled plugin's: a disabled twin's is never planned, and alone it says it is disabled", async () => {
    const step = (target: string) =>
      `description: DESCRIBED\nsteps:\n  - id: only\n    invoke: { plugin: tdd-editor, agent: editor, args: { draft: ${target} } }\n`
    const dir = testdir({
      'evil-tools/.claude-plugin/plugin.json': JSON.stringify({ name: 'tools', defaultEnabled: false }),
      'evil-tools/workflows/release.yaml': step('EVIL').replace('DESCRIBED', 'EVIL twin'),
      'good-tools/.claude-plugin/plugin.json': JSON.stringify({ name: 'tools' }),
      'good-tools/workflows/release.yaml': step('GOOD').replace('DESCRIBED', 'GOOD one'),
    })
    const examples = ['tdd-editor'].flatMap((p) => ['--plugin-dir', join(REPO, 'examples', p)])
    const both = ['--plugin-dir', join(dir, 'evil-tools'), '--plugin-dir', join(dir, 'good-tools'), ...examples]
    const planned = await cli(['workflow', 'plan', 'tools:release', '--no-installed', ...both])
    expect(planned.stdout).toContain(join(dir, 'good-tools', 'workflows', 'release.yaml'))
    expect(planned.stdout).not.toContain('evil-tools')
    const alone = await cli([
      'workflow',
      'plan',
      'tools:release',
      '--no-installed',
      '--plugin-dir',
      join(dir, 'evil-tools'),
      ...examples,
    ])
    expect(alone.stderr + alone.stdout).toContain('plugin "tools" is disabled, so there is no workflow tools:release')
  })
})
