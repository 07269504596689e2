// What the hooks module adds, on every pinned version: where it runs (2.1.332, 2.1.331) a background
// agent's contract mismatch reaches its caller with the report, and parallel spawns of one agent type
// each hang under their true parent; where it does not (2.1.197) the settings hooks do the job.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { claudeBinary, offlineEnv, PINNED_VERSIONS } from '../helpers/claude.ts'
import type { PinnedVersion } from '../helpers/claude.ts'
import { CLI, PLUGIN, runCli } from '../helpers/cli.ts'
import { managedSettingsLauncher } from '../helpers/managed-settings.ts'
import {
  edges,
  expectedRuntime,
  hookProcessesRun,
  perCallHooksRun,
  runDataDir,
  runtimeOf,
  stoppedAgents,
  traceOutput,
  tracedInvocations,
} from '../helpers/trace.ts'
import { callAgent, DEFAULT_TOOLS, runClaude, say } from '../harness/index.ts'
import type { ClaudeRun } from '../harness/index.ts'
import { EXAMPLES } from '../helpers/plugins.ts'

describe.each(PINNED_VERSIONS)('the runtimes on Claude Code %s', (version) => {
  it("tells the main thread when an agent's return breaks its contract, foreground or background", async () => {
    const run = await runClaude({
      version,
      prompt: 'Illustrate',
      plugins: EXAMPLES,
      scenario: {
        main: [{ call: callAgent('tdd-design:illustrator', 'Draw a kite. [[switchboard into=art]]') }, say('Done.')],
        agents: { 'tdd-design:illustrator': [say('{"svg": 42}')] },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(runtimeOf(run)).toBe(expectedRuntime(version))
    // 2.1.33x runs it in the background: before the hooks module the main thread was never told.
    expect(run.textSentTo('main')).toMatch(
      /Switchboard: the return of tdd-design:illustrator \(\S+\) does not match its output contract/,
    )
    // Where the module runs it kept the companion's per-call settings hooks out at plugin.register: Claude
    // Code ran none of them, not even the `/bin/sh` that would step aside. Where it does not, they did the job.
    expect(perCallHooksRun(run)).toEqual(
      expectedRuntime(version) === 'module' ? [] : ['PreToolUse', 'SubagentStop', 'PostToolUse'],
    )
  })

  it('parents eight parallel spawns of one agent type, and their own calls, exactly', async () => {
    const editors = Array.from({ length: 8 }, (_, i) => callAgent('tdd-editor:editor', `Edit version ${i + 1}.`))
    const run = await runClaude({
      version,
      prompt: 'Distribute the article',
      plugins: EXAMPLES,
      scenario: {
        main: [{ call: callAgent('tdd-growth:distributor', 'Distribute the kite article.') }, say('Distributed.')],
        agents: {
          'tdd-growth:distributor': [{ calls: editors }, say('{"article": "Kites fly.", "brief": {}}')],
          'tdd-editor:editor': [{ call: callAgent('tdd-design:illustrator', 'Draw an inline image.') }, say('EDITED')],
          'tdd-design:illustrator': [say('{"svg": "<svg/>", "alt": "x"}')],
        },
        maxRequests: 60,
      },
      timeoutMs: 120_000,
    })
    expect(run.exitCode).toBe(0)
    expect(runtimeOf(run)).toBe(expectedRuntime(version))
    const invocations = tracedInvocations(run)
    expect(edges(invocations).filter((e) => e === 'tdd-growth:distributor -> tdd-editor:editor ok')).toHaveLength(8)
    expect(edges(invocations).filter((e) => e === 'tdd-editor:editor -> tdd-design:illustrator ok')).toHaveLength(8)
    const editorIds = invocations.filter((i) => i.target === 'tdd-editor:editor').map((i) => i.id)
    const nested = invocations.filter((i) => i.caller === 'tdd-editor:editor')
    expect(new Set(nested.map((i) => i.parent))).toEqual(new Set(editorIds)) // one illustrator call under each editor
    expect(new Set(nested.map((i) => i.callerAgent)).size).toBe(8)
    // Settings mode: every agent's SubagentStop captured its return, and no per-call hook started a
    // process for any of the 17 agent calls: Switchboard's MCP server answered them (mcp/hook-tool.ts).
    if (expectedRuntime(version) === 'settings') {
      expect(stoppedAgents(run)).toHaveLength(17)
      expect(hookProcessesRun(run)).toEqual(['session-start'])
    }
  }, 180_000)
})

describe.each(PINNED_VERSIONS.filter((v) => expectedRuntime(v) === 'module'))(
  'the hooks module on Claude Code %s',
  (version) => {
    it('guards agents the native Workflow tool starts: a policy rule denies one, the script reads why, the other runs', async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'switchboard-workflow-'))
      mkdirSync(join(cwd, '.claude', 'switchboard'), { recursive: true })
      writeFileSync(
        join(cwd, '.claude', 'switchboard', 'policy.json'),
        JSON.stringify({ rules: [{ caller: 'main', target: 'tdd-design:palette', action: 'deny' }] }),
      )
      const script = [
        "export const meta = { name: 'illustrate', description: 'Draw with a palette', phases: [{ title: 'draw' }] }",
        'let palette',
        "try { palette = await agent('Pick a palette.', { agentType: 'tdd-design:palette' }) } catch (e) { palette = 'REFUSED: ' + String(e?.message ?? e) }",
        "const art = await agent('Draw a kite.', { agentType: 'tdd-design:illustrator' })",
        'return { palette, art }',
      ].join('\n')
      const run = await runClaude({
        version,
        cwd,
        prompt: 'Run the workflow',
        plugins: EXAMPLES,
        allowedTools: [...DEFAULT_TOOLS, 'Workflow'],
        scenario: {
          main: [{ call: { tool: 'Workflow', input: { script } } }, say('Done.')],
          agents: {
            'tdd-design:illustrator': [say('{"svg": "<svg/>", "alt": "kite"}')],
            'tdd-design:palette': [say('PALETTE')],
          },
        },
      })
      expect(run.exitCode).toBe(0)
      expect(run.textSentTo('main')).toContain(
        'REFUSED: Workflow agent spawn denied by a plugin: Switchboard: policy: a rule in',
      )
      expect(run.requests.some((r) => r.conversation === 'tdd-design:palette')).toBe(false)
      expect(run.requests.some((r) => r.conversation === 'tdd-design:illustrator')).toBe(true)
      const traced = tracedInvocations(run)
      expect(traced.filter((i) => i.status === 'denied').map((i) => i.target)).toEqual(['tdd-design:palette'])
      expect(traced.map((i) => `${i.target} ${i.status}`).sort()).toEqual([
        'tdd-design:illustrator ok',
        'tdd-design:palette denied',
      ])
      // Its end is the agent's turn's end (no agent.report for a Workflow agent), with its tokens.
      expect(traced.find((i) => i.target === 'tdd-design:illustrator')?.tokens).toBe(120)
    })
  },
)

// Which runtime runs Switchboard, said by SessionStart (to the model), `switchboard trace` and
// `switchboard doctor` (run as from a terminal in the same project, with this Claude Code on PATH).
describe.each(PINNED_VERSIONS)('which runtime runs Switchboard on Claude Code %s', (version) => {
  const name = expectedRuntime(version) === 'module' ? 'hooks module' : 'settings hooks'

  it('without its companion switchboard-hooks: the module guards as before; settings mode says calls go unchecked', async () => {
    const run = await runClaude({
      version,
      prompt: 'Edit',
      withSwitchboard: false,
      plugins: [PLUGIN, ...EXAMPLES],
      scenario: { main: [{ call: callAgent('tdd-editor:editor', 'Edit: kites fly.') }, say('Done.')] },
    })
    expect(run.exitCode).toBe(0)
    const warning =
      "Switchboard's companion plugin switchboard-hooks is not loaded, so where the hooks module does not run, cross-plugin calls are neither checked nor traced."
    if (name === 'hooks module') {
      expect(run.textSentTo('main')).toContain('Switchboard runtime: hooks module.\nSwitchboard:')
      expect(edges(tracedInvocations(run))).toEqual(['main -> tdd-editor:editor ok'])
    } else {
      expect(run.textSentTo('main')).toContain(`${warning} Install it: \`--plugin-dir\` its folder`)
      expect(runtimeOf(run)).toBe('none')
      // The person is told too (the hook's systemMessage).
      const start = run.hookEvents.find((e) => e.subtype === 'hook_response' && e.hook_event === 'SessionStart')
      expect(JSON.parse(String(start?.output)).systemMessage).toBe(
        `${warning} Install it: \`--plugin-dir\` its folder (plugin-hooks/ beside plugin/).`,
      )
    }
  })

  it('SessionStart names it in one line; trace and doctor agree, for a session that made no call', async () => {
    const debugFile = join(mkdtempSync(join(tmpdir(), 'switchboard-debug-')), 'debug.log')
    const run = await runClaude({
      version,
      prompt: 'Hello',
      plugins: EXAMPLES,
      extraArgs: ['--debug-file', debugFile],
      scenario: { main: [say('Hi.')] },
    })
    expect(run.exitCode).toBe(0)
    // The module holds Switchboard's MCP server out of a session that never uses its tools: no node process
    // for it, at the start or the end (own-server.ts). Settings mode has no module to hold it.
    const server = ((run.init?.mcp_servers ?? []) as Array<{ name: string; status: string }>).find(
      (s) => s.name === 'plugin:switchboard:switchboard',
    )
    expect(server?.status).toBe(name === 'hooks module' ? 'disabled' : 'connected')
    expect(readFileSync(debugFile, 'utf8').includes('"plugin:switchboard:switchboard": Starting connection')).toBe(
      name !== 'hooks module',
    )
    const line =
      version === '2.1.197'
        ? 'Switchboard runtime: settings hooks (Claude Code 2.1.197 predates hooks modules).'
        : 'Switchboard runtime: hooks module.'
    expect(run.textSentTo('main')).toContain(
      `${line}\nSwitchboard: 7 components of 4 plugins can be called across plugins.`,
    )
    const sessionId = String(run.init?.session_id)
    expect(traceOutput(run)).toBe(`Session ${sessionId} (runtime: ${name})\nNo cross-plugin calls in this session.\n`)
    const doctor = runCli(['doctor'], {
      cwd: run.cwd,
      env: { HOME: run.home, PATH: `${claudeOnPath(version)}:${process.env.PATH}` },
    })
    expect(doctor.stdout).toContain(
      `Runtime:\n  Claude Code:       ${version} (claude --version)\n  Hooks modules:     ${version === '2.1.197' ? 'not supported' : 'supported'} (2.1.287 and later)\n  Managed settings:  nothing that turns Switchboard off\n  Would run:         ${name}\n  Settings hooks:    unknown: Switchboard is not among the plugins found here (for --plugin-dir, give doctor the same folders)\n  Last session here: ${sessionId}: ${name}`,
    )
    if (version === '2.1.197')
      expect(doctor.stdout).toContain(
        'Problem: Claude Code 2.1.197 predates hooks modules (2.1.287+): Switchboard runs as settings hooks, each a call to its MCP server. Update Claude Code (`claude update`)',
      )
  })

  it('prepares a session whose snapshot is fresh in the module, with no node process; a change brings the hook back', async () => {
    const TOOL = (tool: string) => `mcp__plugin_switchboard_switchboard__${tool}`
    const sessionStartRanNode = (run: ClaudeRun): boolean =>
      run.hookEvents.some(
        (e) =>
          e.subtype === 'hook_response' && e.hook_event === 'SessionStart' && String(e.output).includes('Switchboard'),
      )
    // A CLAUDE_PROJECT_DIR left in the environment: Claude Code gives its hooks its own folder instead.
    const env = { CLAUDE_PROJECT_DIR: join(tmpdir(), 'not-the-project') }
    const first = await runClaude({
      version,
      env,
      prompt: 'Hello',
      plugins: EXAMPLES,
      scenario: { main: [say('Hi.')] },
    })
    expect(sessionStartRanNode(first)).toBe(true) // no snapshot yet: the hook builds it
    const again = { version, env, home: first.home, cwd: first.cwd, plugins: EXAMPLES }
    const second = await runClaude({
      ...again,
      prompt: 'Edit',
      allowedTools: [...DEFAULT_TOOLS, TOOL('context_put')],
      scenario: {
        main: [
          { call: callAgent('tdd-editor:editor', 'Edit: kites. [[switchboard into=edited]]') },
          { call: { tool: TOOL('context_put'), input: { name: 'brief', value: 'KITE-BRIEF' } } },
          say('Done.'),
        ],
        agents: { 'tdd-editor:editor': [say('EDITED-KITES-7')] },
      },
    })
    expect(second.exitCode).toBe(0)
    const module = expectedRuntime(version) === 'module'
    expect(sessionStartRanNode(second)).toBe(!module)
    // Told the same as the hook tells, guarded and traced as usual, and the MCP server finds its
    // session by the process record the module wrote.
    expect(second.textSentTo('main')).toContain(
      `${module ? 'Switchboard runtime: hooks module.' : 'Switchboard runtime: settings hooks (Claude Code 2.1.197 predates hooks modules).'}\nSwitchboard: 7 components of 4 plugins can be called across plugins.`,
    )
    expect(edges(tracedInvocations(second))).toEqual(['main -> tdd-editor:editor ok'])
    // The module records the agent's tokens as its row counts them: one request of the stand-in
    // model, 100 tokens in and 20 out. (Settings mode has them only where a PostToolUse had work.)
    if (module) expect(tracedInvocations(second)[0]?.tokens).toBe(120)
    const session = ['--session', String(second.init?.session_id), '--data-dir', runDataDir(second)]
    expect(runCli(['context', 'get', 'edited', ...session]).stdout).toBe('EDITED-KITES-7\n')
    expect(runCli(['context', 'get', 'brief', ...session]).stdout).toBe('KITE-BRIEF\n') // put by the MCP server
    // Which session this Claude Code process runs, for the MCP server after a /clear or a resume.
    const processes = join(runDataDir(second), 'processes')
    expect(readdirSync(processes).map((pid) => readFileSync(join(processes, pid), 'utf8'))).toContain(
      String(second.init?.session_id),
    )
    expect(traceOutput(second)).toContain(`Session ${String(second.init?.session_id)} (runtime: ${name})`)

    // A user settings file that appears makes the snapshot stale: the hook runs and rebuilds it.
    writeFileSync(join(first.home, '.claude', 'settings.json'), '{"enabledPlugins": {}}')
    const third = await runClaude({ ...again, prompt: 'Hello', scenario: { main: [say('Hi.')] } })
    expect(sessionStartRanNode(third)).toBe(true)
    expect(third.textSentTo('main')).toContain('Switchboard: 7 components of 4 plugins can be called across plugins.')
  })

  it('keeps its guard when the module variables are inherited from another session', async () => {
    // As a Claude Code started from another one's Bash tool would inherit them. Where the module runs it
    // takes the session over; where none runs the per-call hooks see another session named, and do the work.
    const run = await runClaude({
      version,
      prompt: 'Edit',
      plugins: EXAMPLES,
      env: { SWITCHBOARD_RUNTIME: 'module', SWITCHBOARD_RUNTIME_SESSION: 'another-session' },
      scenario: {
        main: [{ call: callAgent('tdd-editor:editor', 'Edit: kites.') }, say('Done.')],
        agents: { 'tdd-editor:editor': [say('EDITED')] },
      },
    })
    expect(run.exitCode).toBe(0)
    const started = run.hookEvents.filter(
      (e) =>
        e.subtype === 'hook_response' && e.hook_event === 'SessionStart' && String(e.output).includes('Switchboard'),
    )
    const output = JSON.parse(String(started[0]?.output)) as {
      systemMessage?: string
      hookSpecificOutput: { additionalContext: string }
    }
    expect(output.systemMessage).toBeUndefined()
    const module = expectedRuntime(version) === 'module'
    expect(output.hookSpecificOutput.additionalContext).toMatch(
      module
        ? /^Switchboard runtime: hooks module\.\n/
        : /^Switchboard runtime: settings hooks \(Claude Code 2\.1\.197 predates hooks modules\)\.\n/,
    )
    expect(runtimeOf(run)).toBe(expectedRuntime(version)) // the call was traced, by the runtime that runs
    expect(edges(tracedInvocations(run))).toEqual(['main -> tdd-editor:editor ok'])
  })
})

// Managed settings in /etc/claude-code, seen by these processes only (test/helpers/managed-settings.ts: root and overlayfs).
const MODS_OFF = { pluginConfigs: { 'cc-plugin-sec-default@builtin': { options: { allowManagedModsOnly: true } } } }
const modsOff = managedSettingsLauncher(MODS_OFF)

describe.skipIf(!modsOff).each(PINNED_VERSIONS.filter((v) => expectedRuntime(v) === 'module'))(
  'an administrator who keeps user mods out, on Claude Code %s',
  (version) => {
    it('gets the settings hooks, and SessionStart and doctor say so and why', async () => {
      const run = await runClaude({
        version,
        launcher: modsOff,
        prompt: 'Edit',
        plugins: EXAMPLES,
        scenario: {
          main: [{ call: callAgent('tdd-editor:editor', 'Edit: kites. [[switchboard into=edited]]') }, say('Done.')],
          agents: {
            'tdd-editor:editor': [{ call: callAgent('tdd-design:illustrator', 'Draw a kite.') }, say('EDITED')],
            'tdd-design:illustrator': [say('{"svg": 42}')],
          },
        },
      })
      expect(run.exitCode).toBe(0)
      expect(runtimeOf(run)).toBe('settings') // the module did not load: the settings hooks traced the call
      // The main thread's call ran in the background, the editor's own in the foreground: SubagentStop
      // captured both returns; the foreground one broke its contract (a failed call), and the editor was told.
      expect(edges(tracedInvocations(run))).toEqual([
        'main -> tdd-editor:editor ok',
        'tdd-editor:editor -> tdd-design:illustrator failed',
      ])
      expect(stoppedAgents(run)).toHaveLength(2)
      expect(hookProcessesRun(run)).toEqual(['session-start']) // the per-call hooks, the editor told included, in the MCP server
      const session = ['--session', String(run.init?.session_id), '--data-dir', runDataDir(run)]
      expect(runCli(['context', 'get', 'edited', ...session]).stdout).toBe('EDITED\n')
      expect(run.textSentTo('tdd-editor:editor')).toMatch(
        /Switchboard: the return of tdd-design:illustrator \(\S+\) does not match its output contract/,
      )
      expect(run.textSentTo('main')).toContain(
        `Switchboard runtime: settings hooks (Claude Code ${version} did not load its hooks module; \`switchboard doctor\` says why).`,
      )
      const doctor = doctorUnder(modsOff!, run, version)
      expect(doctor.stdout).toContain(
        `  Managed settings:  allowManagedModsOnly (/etc/claude-code/managed-settings.json)\n  Would run:         settings hooks\n  Settings hooks:    unknown: Switchboard is not among the plugins found here (for --plugin-dir, give doctor the same folders)\n  Last session here: ${String(run.init?.session_id)}: settings hooks`,
      )
      expect(doctor.stdout).toContain(
        'Problem: /etc/claude-code/managed-settings.json sets allowManagedModsOnly: no hooks module you installed loads, so Switchboard runs as settings hooks.',
      )
    })
  },
)

/** `switchboard doctor` in the run's project and home, under the same managed settings (if any), with the pinned `claude` first on PATH. */
function doctorUnder(launcher: string[], run: ClaudeRun, version: PinnedVersion) {
  const [command, ...args] = [...launcher, process.execPath, CLI, 'doctor']
  return spawnSync(command!, args, {
    cwd: run.cwd,
    encoding: 'utf8',
    env: { HOME: run.home, PATH: `${claudeOnPath(version)}:${process.env.PATH}` },
  })
}

/** A folder whose `claude` is the pinned build, to put first on PATH. */
function claudeOnPath(version: PinnedVersion): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-claude-bin-'))
  symlinkSync(claudeBinary(version), join(dir, 'claude'))
  return dir
}

/** The main thread calls another plugin's agent: the call every runtime checks and traces. */
const EDIT_CALL = {
  prompt: 'Edit',
  plugins: EXAMPLES,
  scenario: {
    main: [{ call: callAgent('tdd-editor:editor', 'Edit: kites.') }, say('Done.')],
    agents: { 'tdd-editor:editor': [say('EDITED')] },
  },
}

/**
 * Switchboard's MCP server kept out of a settings-mode session: Claude Code runs none of its per-call hooks
 * ("not connected") and the call goes on unchecked, and SessionStart (to the model and the person) and
 * doctor say `problem`.
 */
function expectUncheckedAndSaid(run: ClaudeRun, problem: string, doctor: { stdout: string }): void {
  expect(run.exitCode).toBe(0)
  const perCall = run.hookEvents.filter((e) => e.subtype === 'hook_response' && e.hook_event !== 'SessionStart')
  expect(perCall.map((e) => e.hook_event).sort()).toEqual(['PostToolUse', 'PreToolUse', 'SubagentStop'])
  for (const event of perCall)
    expect(event).toMatchObject({ outcome: 'error', output: expect.stringContaining('not connected') })
  expect(run.textSentTo('main')).toContain(problem) // SessionStart told the model, and the person (systemMessage)
  expect(run.textSentTo('main')).toContain('EDITED') // the call ran
  expect(tracedInvocations(run)).toEqual([]) // and nothing checked or recorded it
  expect(doctor.stdout).toContain(`Problem: ${problem}`)
}

// Settings mode's per-call hooks are calls to Switchboard's MCP server: where an administrator keeps that
// server out, Claude Code cannot run them and the calls go on unchecked (what Claude Code does, shown here so
// a change is noticed), and SessionStart and doctor say so with the setting that does it.
const MCP_DENIED = { deniedMcpServers: [{ serverName: 'plugin:switchboard:switchboard' }] }
const mcpDenied = managedSettingsLauncher(MCP_DENIED)

describe.skipIf(!mcpDenied).each(PINNED_VERSIONS.filter((v) => expectedRuntime(v) === 'settings'))(
  "an administrator who keeps Switchboard's MCP server out, on Claude Code %s",
  (version) => {
    it('gets calls that go on unchecked, and SessionStart and doctor name the setting', async () => {
      const run = await runClaude({ version, launcher: mcpDenied, ...EDIT_CALL })
      expect(run.init?.mcp_servers).toEqual([])
      expectUncheckedAndSaid(
        run,
        "/etc/claude-code/managed-settings.json's deniedMcpServers denies Switchboard's MCP server (plugin:switchboard:switchboard): its settings hooks, which that server answers, cannot run",
        doctorUnder(mcpDenied!, run, version),
      )
    })
  },
)

// The person can switch the same server off in /mcp, which Claude Code keeps in its config file for the
// project (projects[<folder>].disabledMcpServers): the same loss, said with the way back.
describe.each(PINNED_VERSIONS.filter((v) => expectedRuntime(v) === 'settings'))(
  "a person who switched Switchboard's MCP server off in /mcp, on Claude Code %s",
  (version) => {
    it('gets calls that go on unchecked, and SessionStart and doctor say how to switch it on again', async () => {
      const home = offlineEnv().HOME!
      const cwd = mkdtempSync(join(tmpdir(), 'switchboard-e2e-project-'))
      const configFile = join(home, '.claude.json')
      const config = existsSync(configFile) ? JSON.parse(readFileSync(configFile, 'utf8')) : {}
      config.projects = { [cwd]: { disabledMcpServers: ['plugin:switchboard:switchboard'] } }
      writeFileSync(configFile, JSON.stringify(config))
      const run = await runClaude({ version, home, cwd, ...EDIT_CALL })
      expect(run.init?.mcp_servers).toEqual([{ name: 'plugin:switchboard:switchboard', status: 'disabled' }])
      expectUncheckedAndSaid(
        run,
        `Switchboard's MCP server (plugin:switchboard:switchboard) is switched off for ${cwd} (disabledMcpServers in ${configFile}, as /mcp leaves it): its settings hooks, which that server answers, cannot run`,
        doctorUnder([], run, version),
      )
    })
  },
)
