import { cpSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, CLI, PLUGIN, REPO, runCli } from '../helpers/cli.ts'
import { FIXTURES } from '../helpers/registry.ts'
import { testdir } from '../helpers/testdir.ts'

const plugin = (name: string) => join(FIXTURES, 'plugins', name)

// Most tests run the CLI in process (helpers/cli.ts `cli`); these run the shipped bundle as a process.
describe('switchboard CLI, the bundle as a process (plain node)', () => {
  it("answers help <command> with that command's usage, as <command> --help does", async () => {
    const help = await cli(['help', 'registry'])
    expect(help).toMatchObject({ code: 0, stdout: await cli(['registry', '--help']).then((r) => r.stdout) })
    expect(help.stdout).toMatch(/^switchboard registry \[--plugin-dir DIR\]/)
  })

  it('answers --version, and exits 2 with the usage on stderr for an unknown command', () => {
    expect(runCli(['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) })
    expect(runCli(['frobnicate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('frobnicate') })
  })

  it('builds a registry and writes its snapshot (sync), as installed', () => {
    const data = testdir()
    const synced = runCli(['sync', '--plugin-dir', plugin('names'), '--json'], { env: { SWITCHBOARD_DATA_DIR: data } })
    expect(synced.code).toBe(0)
    expect(JSON.parse(synced.stdout)).toMatchObject({ rebuilt: true })
  })
})

describe('switchboard CLI', () => {
  it('runs from a copy of the shipped files with no node_modules anywhere', async () => {
    const copy = testdir()
    mkdirSync(join(copy, 'bin'))
    cpSync(CLI, join(copy, 'bin', 'switchboard'))
    cpSync(join(PLUGIN, 'cli'), join(copy, 'cli'), { recursive: true }) // the CLI's entry and chunks (scripts/build.mjs)
    cpSync(join(PLUGIN, 'package.json'), join(copy, 'package.json'))
    const result = runCli(['registry', '--plugin-dir', plugin('names'), '--json'], {
      bin: join(copy, 'bin', 'switchboard'),
      cwd: copy,
    })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).map((c: { id: string }) => c.id)).toEqual([
      'names:front-name',
      'names:git:commit',
      'names:review:security',
      'names:writing-rules',
    ])
  })

  it('registry --json prints an array of components with the documented fields', async () => {
    const result = await cli([
      'registry',
      '--plugin-dir',
      plugin('orchestrated'),
      '--plugin-dir',
      plugin('names'),
      '--json',
    ])
    expect(result.code).toBe(1) // orchestrated/agents/typo.md has an invalid orchestration block
    const components = JSON.parse(result.stdout)
    const seo = components.find((c: { id: string }) => c.id === 'orchestrated:seo')
    expect(seo).toMatchObject({
      id: 'orchestrated:seo',
      plugin: 'orchestrated',
      kind: 'agent',
      description: 'Scores an article for search and suggests a better title',
      tools: ['Read', 'Agent'],
      model: null,
      file: join(plugin('orchestrated'), 'agents', 'seo.md'),
      callable: true,
    })
    expect(seo.orchestration.provides).toEqual([{ name: 'seo-analysis', version: '1.2.0' }])
    expect(result.stderr).toContain('switchboard registry: 8 components in 2 plugins; 2 errors')
  })

  it('registry prints a table and a summary, exit 0 when nothing is wrong', async () => {
    const result = await cli(['registry', '--plugin-dir', plugin('names')])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^ID\s+KIND\s+MODEL\s+TOOLS\s+CALLABLE\s+DESCRIPTION$/m)
    expect(result.stdout).toMatch(
      /^names:review:security\s+agent\s+-\s+Read,Grep,Glob\s+yes\s+Reviews code for security problems$/m,
    )
    expect(result.stdout).toContain('4 components in 1 plugin')
  })

  it('registry --callable (/switchboard:plugins) counts what it lists: callable, invocable, not Switchboard', async () => {
    const examples = ['tdd-editor', 'tdd-design'].map((p) => join(REPO, 'examples', p))
    const result = await cli([
      'registry',
      '--callable',
      '--no-installed',
      ...examples.flatMap((p) => ['--plugin-dir', p]),
    ])
    expect(result.code).toBe(0)
    const listed = result.stdout.match(/^\S+ {2}\((agent|command|skill);/gm) ?? []
    expect(listed).toHaveLength(3)
    expect(result.stdout).toContain(
      '3 components of 2 plugins can be called across plugins (the registry: 4 components in 2 plugins).',
    )
    // The slots a caller fills and stores into, as docs/manifest.md says this listing shows them.
    expect(result.stdout).toMatch(
      /^tdd-editor:editor {2}\(agent;[^\n]*\n(?: {2}[^\n]*\n)* {2}context: reads article_draft; writes edited_article$/m,
    )
  })

  it('says what to do when no plugin is found', async () => {
    const result = await cli(['registry'])
    expect(result).toMatchObject({ code: 0 })
    expect(result.stdout).toContain('No plugins found')
  })

  it('describe shows the call, contracts as JSON Schema, and callability', async () => {
    const result = await cli([
      'describe',
      'orchestrated:seo',
      '--plugin-dir',
      plugin('orchestrated'),
      '--plugin-dir',
      plugin('names'),
    ])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('call with:   Agent tool, subagent_type: "orchestrated:seo"')
    expect(result.stdout).toContain('provides:    seo-analysis@1.2.0')
    expect(result.stdout).toContain('"audience":{"type":"string","enum":["general","technical"]}')
    // A plugin's callers lists narrow who may call: the text says so, as --json does.
    const narrowed = await cli(['describe', 'tdd-design:illustrator', '--marketplace-root', REPO, '--no-installed'])
    expect(narrowed.stdout).toContain('callable:    yes, by other plugins; only by tdd-*')
    const json = JSON.parse(
      (await cli(['describe', 'names:git:make-commit', '--plugin-dir', plugin('names'), '--json'])).stdout,
    )
    expect(json.component.id).toBe('names:git:commit')
  })

  it('describe says which agent a forked skill runs as', async () => {
    const result = await cli(['describe', 'docs-lender:lint-anything', '--plugin-dir', plugin('docs-lender')])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('  runs as:     docs-review:linter (context: fork; checked as a call it makes)\n')
  })

  it('describe suggests what exists when the component does not', async () => {
    const result = await cli(['describe', 'names:nope', '--plugin-dir', plugin('names')])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(
      'No component "names:nope". Plugin "names" has: names:front-name, names:git:commit, names:review:security, names:writing-rules.\n',
    )
  })

  it('describe says why a component of a plugin Claude Code refuses is missing', async () => {
    const result = await cli(['describe', 'orchestrated:seo', '--plugin-dir', plugin('orchestrated')])
    expect(result).toMatchObject({
      code: 1,
      stdout:
        'No component "orchestrated:seo". Claude Code does not load plugin "orchestrated": dependency "names" is not installed; install it (claude plugin install names) or remove the dependency.\n',
    })
  })

  // Found by review: workflows were listed by no text output.
  it("registry lists the loaded plugins' workflows, with how to run one, in both listings", async () => {
    const editor = join(REPO, 'examples', 'tdd-editor')
    for (const flags of [[], ['--callable']]) {
      const listed = await cli(['registry', '--plugin-dir', editor, '--no-installed', ...flags])
      expect(listed.stdout).toContain('Workflows (run one with /switchboard:run <id>')
      expect(listed.stdout).toMatch(/^ {2}tdd-editor:illustrate-draft {2}\S/m)
    }
  })

  // Found by review: orchestration.description was accepted and never shown.
  it("shows callers a component's orchestration.description where its author wrote one", async () => {
    const root = testdir({
      '.claude-plugin/plugin.json': JSON.stringify({ name: 'scorer' }),
      'agents/rate.md':
        '---\nname: rate\ndescription: Rates my drafts (for me).\norchestration:\n  callable: true\n  description: Scores a draft from 1 to 10 and says why.\n---\nRate.\n',
    })
    const listed = await cli(['registry', '--callable', '--plugin-dir', root, '--no-installed'])
    expect(listed.stdout).toContain('  Scores a draft from 1 to 10 and says why.')
    const described = await cli(['describe', 'scorer:rate', '--plugin-dir', root, '--no-installed'])
    expect(described.stdout).toContain('description: Rates my drafts (for me).')
    expect(described.stdout).toContain('for callers: Scores a draft from 1 to 10 and says why.')
  })

  it('describe, given a bare name, suggests the ids of the components of that name', async () => {
    const editor = join(REPO, 'examples', 'tdd-editor')
    expect(await cli(['describe', 'editor', '--plugin-dir', editor, '--no-installed'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('write <plugin>:<component>, e.g. tdd-editor:editor.'),
    })
  })

  it('deps reports satisfied and broken dependencies with exit codes', async () => {
    expect(await cli(['deps', '--plugin-dir', plugin('orchestrated'), '--plugin-dir', plugin('names')])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('names@^0.3.0  ok (0.3.0)'),
    })
    const broken = await cli(['deps', '--plugin-dir', plugin('orchestrated')])
    expect(broken.code).toBe(1)
    // The plugin Claude Code refuses for its dependency is the one listed, not "No plugin declares…".
    expect(broken.stdout).toMatch(
      /^orchestrated 1\.4\.0 needs: \(Claude Code does not load it: dependency "names" is not installed/,
    )
    // A range that does not parse refuses the plugin before its dependencies are read: still a deps failure.
    const badRange = testdir({
      '.claude-plugin/plugin.json': JSON.stringify({
        name: 'ranged',
        dependencies: [{ name: 'x', version: '^1.0.x.y' }],
      }),
    })
    expect(await cli(['deps', '--plugin-dir', badRange, '--no-installed'])).toMatchObject({
      code: 1,
      stdout: expect.stringContaining(
        '(dependencies.0.version): error PLUGIN_NOT_LOADED: Claude Code refuses this plugin, so none of its components exist: not a semver range; try "^1.2.0".',
      ),
    })
    expect(broken.stdout).toContain(
      'plugin "orchestrated" needs names@^0.3.0, which is not installed. Install it: claude plugin install names',
    )
    // Found by review: a map of dependencies said "No plugin declares dependencies", and a range after @ went unchecked.
    const mapped = testdir({
      '.claude-plugin/plugin.json': JSON.stringify({ name: 'mapped', dependencies: { names: '^1.0.0' } }),
    })
    expect(await cli(['deps', '--plugin-dir', mapped, '--no-installed'])).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('dependencies is a list, not a map'),
    })
    const atRange = testdir({
      '.claude-plugin/plugin.json': JSON.stringify({ name: 'at-range', dependencies: ['names@^9.0.0'] }),
    })
    const ranged = await cli(['deps', '--plugin-dir', atRange, '--plugin-dir', plugin('names'), '--no-installed'])
    expect(ranged.stdout).toContain(
      'WARNING: "names@^9.0.0" names plugin "names" from a marketplace called "^9.0.0": after "@" comes a marketplace, not a version. Write { "name": "names", "version": "^9.0.0" }.',
    )
  })

  it('check lints one plugin: errors fail, warnings pass unless --strict', async () => {
    const bad = await cli(['check', plugin('orchestrated')])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain('error ORCHESTRATION_INVALID')
    expect(bad.stdout).toContain('check fails: 2 errors')
    const warned = await cli(['check', plugin('frontmatter-quirks')])
    expect(warned.code).toBe(1) // multiline.md: YAML Claude Code cannot recover
    const ok = await cli(['check', plugin('names')])
    expect(ok).toMatchObject({ code: 0 })
    expect(ok.stdout).toContain('check passes')
    const strict = await cli(['check', plugin('author-string'), '--strict'])
    expect(strict).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('check fails (--strict counts warnings): 0 errors'),
    })
    expect(await cli(['check', plugin('author-string')])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('check passes with warnings'),
    })
  })

  it('check tells the plugin will not load and why', async () => {
    const result = await cli(['check', plugin('hooks-array')])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('NOT LOADED by Claude Code')
    expect(result.stdout).toContain('"hooks" must be an object mapping event names to matcher arrays')
  })

  it('doctor shows where it looked, the plugins and the snapshot state', async () => {
    const data = testdir()
    const result = await cli(
      ['doctor', '--plugin-dir', plugin('names'), '--marketplace-root', join(FIXTURES, 'marketplaces', 'every-source')],
      { env: { SWITCHBOARD_DATA_DIR: data } },
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/plugin folder\s+.*names\s+a plugin folder/)
    expect(result.stdout).toMatch(/marketplace\s+.*marketplace.json\s+12 entries, 4 with files in this folder/)
    expect(result.stdout).toContain('none yet (run `switchboard sync`)')
    expect(result.stdout).toContain('Claude Code will not load: conflict (conflicting manifests')
  })

  it('doctor checks across plugins: calls to nothing installed, a capability version offered twice, and the policy', async () => {
    // A caller whose calls list has a typo, a range nothing meets, and a plugin that is not there.
    const root = testdir({
      'caller/.claude-plugin/plugin.json': '{"name": "caller", "version": "1.0.0"}',
      'caller/agents/asker.md':
        '---\nname: asker\ndescription: Asks\norchestration:\n  calls: [tdd-design:ilustrator, copy-editing@^9, absent:thing, tdd-design, TDD-Design:Palette]\n---\nAsk.\n',
      // A second provider of the editor's capability at the same version.
      'twin/.claude-plugin/plugin.json': '{"name": "twin", "version": "1.0.0"}',
      'twin/agents/editor.md':
        '---\nname: editor\ndescription: Edits\norchestration:\n  callable: true\n  provides: [copy-editing@1.0.0]\n---\nEdit.\n',
      'project/.claude/switchboard/policy.json': '{"rules": [{"caller": "*", "target": "*", "action": "allow"}]}',
    })
    const sources = ['caller', 'twin'].flatMap((p) => ['--plugin-dir', join(root, p)])
    const examples = ['tdd-design', 'tdd-editor'].flatMap((p) => ['--plugin-dir', join(REPO, 'examples', p)])
    const result = await cli(['doctor', ...sources, ...examples, '--no-installed', '--json'], {
      cwd: join(root, 'project'),
      env: { HOME: testdir(), SWITCHBOARD_DATA_DIR: testdir() },
    })
    const data = JSON.parse(result.stdout) as {
      diagnostics: Array<{ code: string; path?: string; message: string }>
      policy: { problems: string[] }
    }
    const cross = data.diagnostics.filter((d) =>
      ['ORCHESTRATION_CALL_UNMATCHED', 'ORCHESTRATION_CALL_SPELLING', 'CAPABILITY_AMBIGUOUS'].includes(d.code),
    )
    expect(cross.map((d) => [d.code, d.path])).toEqual([
      ['ORCHESTRATION_CALL_UNMATCHED', 'orchestration.calls.0'],
      ['ORCHESTRATION_CALL_UNMATCHED', 'orchestration.calls.1'],
      ['ORCHESTRATION_CALL_UNMATCHED', 'orchestration.calls.2'],
      ['ORCHESTRATION_CALL_SPELLING', 'orchestration.calls.4'],
      ['CAPABILITY_AMBIGUOUS', 'orchestration.provides'],
    ])
    expect(cross[0]!.message).toContain('(did you mean tdd-design:illustrator?)')
    // Found by a newcomer: Claude Code's spelling rules found it, while the guard, reading the list exactly, refused it.
    expect(cross[3]!.message).toContain(
      'caller:asker may call TDD-Design:Palette, but the component is spelled tdd-design:palette, and the guard reads this list exactly as written',
    )
    expect(data.policy.problems).toEqual([expect.stringContaining('allow rules are honoured only in the user policy')])
    expect(result.code).toBe(1)
  })

  // Found by a newcomer: registry --callable listed a plugin's component as if any plugin could call it.
  it('registry --callable says who may call a component where its plugin names its callers', async () => {
    const root = testdir({
      'notes/.claude-plugin/plugin.json': '{"name": "notes", "version": "1.0.0"}',
      'notes/.claude-plugin/switchboard.json': JSON.stringify({ callers: { allow: ['publisher'], deny: ['tdd-*'] } }),
      'notes/agents/summarise.md':
        '---\nname: summarise\ndescription: Sums\norchestration:\n  callable: true\n---\nSum.\n',
    })
    const result = await cli(['registry', '--callable', '--plugin-dir', join(root, 'notes'), '--no-installed'], {
      env: { HOME: testdir(), SWITCHBOARD_DATA_DIR: testdir() },
    })
    expect(result.stdout).toContain('  callers: only publisher (and main)\n  callers: not tdd-*')
    const json = await cli(
      ['registry', '--callable', '--json', '--plugin-dir', join(root, 'notes'), '--no-installed'],
      {
        env: { HOME: testdir(), SWITCHBOARD_DATA_DIR: testdir() },
      },
    )
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ id: 'notes:summarise', callers: { allow: ['publisher'], deny: ['tdd-*'] } }),
    ])
  })

  // Found by a newcomer: `callers.allow: ["publsher"]` passed check and doctor, and closed the plugin to its caller.
  it("doctor warns of a plugin's callers entries that match nothing loaded here, with the nearest name", async () => {
    const root = testdir({
      'notes/.claude-plugin/plugin.json': '{"name": "notes", "version": "1.0.0"}',
      'notes/.claude-plugin/switchboard.json': JSON.stringify({
        callers: { allow: ['tdd-edtor', 'tdd-design:*'], deny: ['TDD_Design:Palette', 'nobody-here'] },
      }),
      'notes/agents/summarise.md': '---\nname: summarise\ndescription: Sums\n---\nSum.\n',
    })
    const examples = ['tdd-design', 'tdd-editor'].flatMap((p) => ['--plugin-dir', join(REPO, 'examples', p)])
    const result = await cli(['doctor', '--plugin-dir', join(root, 'notes'), ...examples, '--no-installed', '--json'], {
      env: { HOME: testdir(), SWITCHBOARD_DATA_DIR: testdir() },
    })
    const data = JSON.parse(result.stdout) as {
      diagnostics: Array<{ code: string; file: string; path?: string; message: string }>
    }
    const found = data.diagnostics.filter((d) => d.code === 'CALLERS_MATCH_NOTHING')
    expect(found.map((d) => [d.path, d.message.split(':')[0]])).toEqual([
      [
        'callers.allow.0',
        '"tdd-edtor" matches no plugin or component Claude Code loads here (did you mean tdd-editor?)',
      ],
      ['callers.deny.1', '"nobody-here" matches no plugin or component Claude Code loads here'],
    ])
    expect(found[0]!.file).toBe(join(root, 'notes', '.claude-plugin', 'switchboard.json'))
    expect(found[0]!.message).toContain('lets no one in by it, so "notes" stays closed to the caller meant')
  })

  it('doctor warns of policy rules that match nothing loaded here, with the nearest name', async () => {
    const home = testdir({
      '.claude/switchboard/policy.json': JSON.stringify({
        rules: [
          { caller: '*', target: 'tdd-desgin', action: 'deny' },
          { caller: 'tdd-editor:editr', target: 'tdd-design:*', action: 'deny' },
          { caller: 'tdd-editor:editor', target: 'main', action: 'deny' },
          { caller: 'main', target: 'tdd-design:palette', action: 'deny' },
        ],
      }),
    })
    const examples = ['tdd-design', 'tdd-editor'].flatMap((p) => ['--plugin-dir', join(REPO, 'examples', p)])
    const result = await cli(['doctor', ...examples, '--no-installed', '--json'], {
      env: { HOME: home, SWITCHBOARD_DATA_DIR: testdir() },
    })
    const data = JSON.parse(result.stdout) as { diagnostics: Array<{ code: string; path?: string; message: string }> }
    const rules = data.diagnostics.filter((d) => d.code === 'POLICY_RULE_MATCHES_NOTHING')
    expect(rules.map((d) => [d.path, d.message.split(',')[0]])).toEqual([
      [
        'rules.0.target',
        '"tdd-desgin" matches no plugin or component Claude Code loads here (did you mean tdd-design?)',
      ],
      [
        'rules.1.caller',
        '"tdd-editor:editr" matches no plugin or component Claude Code loads here (did you mean tdd-editor:editor?)',
      ],
      ['rules.2.target', 'main is the person'],
    ])
    expect(result.code).toBe(0) // warnings: the rules are valid, and the plugins may be installed later
  })

  it("check and doctor read a plugin's own workflows: a file that does not parse, a name that is not listed, a borrowed caller", async () => {
    const root = testdir({
      'flows/.claude-plugin/plugin.json': '{"name": "flows", "version": "1.0.0"}',
      'flows/agents/runner.md': '---\nname: runner\ndescription: Runs\n---\nRun.\n',
      'flows/workflows/broken.yaml': 'steps:\n  - id: a\n    invoke: { plugin: tdd-design, agent: illustrator\n',
      'flows/workflows/release_notes.yaml': 'steps: []\n',
      'flows/workflows/borrow.yaml':
        'caller: tdd-growth:distributor\nsteps:\n  - id: a\n    invoke: { plugin: tdd-design, agent: illustrator }\n',
      'flows/workflows/notes.txt': 'not a workflow, not a warning',
    })
    const plugin = join(root, 'flows')
    const check = await cli(['check', plugin, '--json'])
    const codes = (JSON.parse(check.stdout) as { diagnostics: Array<{ code: string; file: string; message: string }> })
      .diagnostics
    expect(codes.map((d) => [d.code, d.file.replace(`${plugin}/`, '')])).toEqual([
      ['WORKFLOW_NAME_INVALID', 'workflows/release_notes.yaml'],
      ['WORKFLOW_INVALID_YAML', 'workflows/broken.yaml'],
    ])
    expect(codes[0]!.message).toContain('Rename it to release-notes.yaml.')
    expect(codes[1]!.message).toMatch(/^line \d+: .*[^:]\. Run switchboard workflow check on it\.$/)
    expect(check.code).toBe(1)
    const doctor = await cli(
      ['doctor', '--plugin-dir', plugin, '--marketplace-root', REPO, '--no-installed', '--json'],
      { env: { HOME: testdir(), SWITCHBOARD_DATA_DIR: testdir() } },
    )
    expect(
      (JSON.parse(doctor.stdout) as { diagnostics: Array<{ code: string }> }).diagnostics.map((d) => d.code),
    ).toEqual(expect.arrayContaining(['WORKFLOW_NAME_INVALID', 'WORKFLOW_INVALID_YAML', 'WORKFLOW_CALLER_BORROWED']))
    // registry's summary counts the workflow that does not parse too (it said "0 errors").
    expect((await cli(['registry', '--plugin-dir', plugin, '--no-installed'])).stdout).toMatch(
      /1 component in 1 plugin; 1 error, 1 warning \(run `switchboard doctor` for details\)\n?$/,
    )
    expect(await cli(['check', join(root, 'nope')])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`${join(root, 'nope')} does not exist; pass a plugin folder`),
    })
    const agent = join(REPO, 'examples', 'tdd-editor', 'agents', 'editor.md')
    expect(await cli(['check', agent])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        `${agent} is a file; check reads a whole plugin: pass its folder (switchboard check ${join(REPO, 'examples', 'tdd-editor')})`,
      ),
    })
  })

  it('deps speaks of --plugin-dir folders as folders, and leaves plugins Claude Code will not load out of the load order', async () => {
    const root = testdir({
      'a/.claude-plugin/plugin.json':
        '{"name": "a", "version": "1.0.0", "dependencies": [{ "name": "b", "version": "^2.0.0" }]}',
      'b/.claude-plugin/plugin.json': '{"name": "b", "version": "1.0.0"}',
      'c/.claude-plugin/plugin.json': '{"name": "c", "version": "1.0.0", "dependencies": ["d"]}',
      'd/.claude-plugin/plugin.json': '{"name": "d", "version": "1.0.0", "dependencies": ["c"]}',
    })
    const result = await cli([
      'deps',
      ...['a', 'b', 'c', 'd'].flatMap((p) => ['--plugin-dir', join(root, p)]),
      '--no-installed',
    ])
    expect(result.stdout).toContain(
      `but the b loaded from ${join(root, 'b')} (--plugin-dir) is 1.0.0. Use a folder with a version in range`,
    )
    expect(result.stdout).not.toContain('claude plugin update b')
    expect(result.stdout).toMatch(/Load order: b, a \(not loaded: c, d\)/)
  })

  it('sync writes the snapshot once, then reports it up to date', async () => {
    const data = testdir()
    const first = await cli(['sync', '--plugin-dir', plugin('names'), '--json'], {
      env: { SWITCHBOARD_DATA_DIR: data },
    })
    expect(JSON.parse(first.stdout)).toMatchObject({ rebuilt: true, components: 4 })
    expect(
      (await cli(['sync', '--plugin-dir', plugin('names')], { env: { SWITCHBOARD_DATA_DIR: data } })).stdout,
    ).toMatch(/^Up to date:/)
  })

  it('exits 2 with the usage on usage errors', async () => {
    expect(await cli(['frobnicate'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "frobnicate"'),
    })
    expect(await cli(['trace', '--mermaid', '--json'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--mermaid and --json are two ways to print the trace; give one'),
    })
    expect(await cli(['registry', '--bogus'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^switchboard registry: unknown option --bogus\. Usage: /),
    })
    expect(await cli(['registry', '--plugin-dirs', FIXTURES])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /^switchboard registry: unknown option --plugin-dirs; did you mean --plugin-dir\? Usage: /,
      ),
    })
    expect(await cli(['check', '--plugin-dir', FIXTURES])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /^switchboard check: unknown option --plugin-dir; check takes the plugin folder as its argument \(switchboard check <plugin-dir>\)\. Usage: /,
      ),
    })
    expect(await cli(['describe'])).toMatchObject({
      code: 2,
      stderr:
        'switchboard describe: missing <plugin:component>. Usage: switchboard describe <plugin:component> [--plugin-dir DIR]... [--marketplace-root DIR]... [--no-installed] [--json]\n',
    })
    expect(await cli(['describe', 'noColon'])).toMatchObject({ code: 2 })
    expect(await cli(['plan'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^switchboard plan: nothing to call\. Usage: switchboard plan </),
    })
    // A request whose words cannot be read is a usage error, as `describe` and `workflow plan` say too.
    const examples = ['--plugin-dir', 'examples/tdd-design', '--no-installed']
    for (const [words, says] of [
      [['tdd-design:illustrator', 'content'], '"content" is not key=value'],
      [['tdd-design'], '"tdd-design" is not a component id'],
      [['tdd-design:illustrator', 'content=x', '--into', '1bad'], '--into "1bad" is not a slot name'],
      // The contract check read one value, the target would read both: one is refused before anything runs.
      [['tdd-design:illustrator', 'content=x', 'style=round', 'style=flat'], '"style" is given twice'],
    ] as const)
      expect(await cli(['plan', ...words, ...examples])).toMatchObject({
        code: 2,
        stderr: expect.stringContaining(`switchboard plan: ${says}`),
      })
    // Node's multi-line parseArgs message, on one line (no literal "\n" in it).
    const dangling = await cli(['plan', 'tdd-design:illustrator', '--into', '--no-installed'])
    expect(dangling).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('argument is ambiguous. Did you forget'),
    })
    expect(dangling.stderr).not.toContain('\\n')
    expect(await cli(['check', FIXTURES])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('pass a plugin folder'),
    })
    expect(await cli([])).toMatchObject({ code: 2, stdout: expect.stringContaining('Commands:') })
    // A plugin folder where a flag was meant is named, not ignored (it used to list "No plugins found").
    for (const command of ['registry', 'deps', 'doctor', 'sync'])
      expect(await cli([command, plugin('names')]), command).toMatchObject({
        code: 2,
        stderr: expect.stringContaining(
          `switchboard ${command}: unexpected argument "${plugin('names')}"; ${command} reads the installed plugins and the folders given with --plugin-dir`,
        ),
      })
  })

  it('refuses a --plugin-dir or --marketplace-root that is no folder, and says why a listing is empty', async () => {
    expect(await cli(['registry', '--plugin-dir', join(FIXTURES, 'nope'), '--no-installed'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`--plugin-dir ${join(FIXTURES, 'nope')}: no such folder`),
    })
    const manifest = join(FIXTURES, 'plugins', 'names', '.claude-plugin', 'plugin.json')
    expect(await cli(['deps', '--plugin-dir', manifest, '--no-installed'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        `--plugin-dir ${manifest}: a file, not a folder; give the folder that holds .claude-plugin/plugin.json`,
      ),
    })
    expect(await cli(['registry', '--plugin-dir', '', '--no-installed'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--plugin-dir is empty'),
    })
    expect(await cli(['registry', '--marketplace-root', join(FIXTURES, 'nope'), '--no-installed'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--marketplace-root'),
    })
    const folderOfPlugins = testdir({
      'one/.claude-plugin/plugin.json': '{"name": "one"}',
      'two/.claude-plugin/plugin.json': '{"name": "two"}',
      'notes/readme.md': 'not a plugin',
    })
    expect(await cli(['registry', '--plugin-dir', folderOfPlugins, '--no-installed'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(
        `${folderOfPlugins}: this folder is no plugin but holds 2 (one, two); Claude Code loads it as one plugin with no components. Pass each plugin's own folder: --plugin-dir ${join(folderOfPlugins, 'one')}.`,
      ),
    })
  })

  it('says an id that names a workflow is one, and how to plan or run it', async () => {
    const result = await cli([
      'describe',
      'tdd-growth:distribute',
      '--plugin-dir',
      join(REPO, 'examples', 'tdd-growth'),
      '--no-installed',
    ])
    expect(result).toMatchObject({
      code: 1,
      stdout: expect.stringContaining(
        'No component "tdd-growth:distribute". It is a workflow of plugin "tdd-growth": `switchboard workflow plan tdd-growth:distribute` shows what it would call',
      ),
    })
  })

  it('--json prints why when there is nothing to print, not a bare null', async () => {
    expect(await cli(['describe', 'names:nope', '--plugin-dir', plugin('names'), '--json'])).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('"error": "No component \\"names:nope\\". Plugin \\"names\\" has:'),
    })
  })
})
