// Installing Switchboard from its marketplace, for real, on every pinned Claude Code version, then a
// session that shows it loaded: its SessionStart hook ran from the installed copy, it found the other
// installed plugins through installed_plugins.json, and its command is offered to the model. Twice:
// from a folder (the plugin runs in place) and from git (`marketplace add <url>`, offline through a
// git `insteadOf` rule), where Claude Code copies the plugin into its cache: only plugin/, what runs,
// and its companion switchboard-hooks (plugin-hooks/, the per-call settings hooks), which the
// marketplace entry's dependency installs with it.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import type { PinnedVersion } from '../helpers/claude.ts'
import { runCli } from '../helpers/cli.ts'
import { expectedRuntime } from '../helpers/trace.ts'
import {
  callAgent,
  checkoutCopy,
  GIT_MARKETPLACE_URL,
  gitMarketplace,
  installFromMarketplace,
  measureFolder,
  runClaude,
  say,
} from '../harness/index.ts'
import type { ClaudeRun } from '../harness/index.ts'

/** What an install may copy: the plugin's own folders and files, nothing of the repository around it. */
const SHIPPED = [
  '.claude-plugin',
  '.mcp.json',
  'LICENSE',
  'THIRD-PARTY-NOTICES.md',
  'agents',
  'bin',
  'cli',
  'commands',
  'hooks',
  'mcp',
  'package.json',
  'skills',
]
/** What the companion's install may copy. */
const SHIPPED_HOOKS = ['.claude-plugin', 'LICENSE', 'hooks']
/** Claude Code's own marks in a cache folder (a copy in use; one replaced by an update). */
const CLAUDE_CODE_MARKS = ['.in_use', '.orphaned_at']
/** The budget of an install copy (today about 45 files, 2.1 MB: the bundles), and of the companion's (4 files, 18 KB, its icon most of it: no code). */
const BUDGET = { files: 60, bytes: 2.5 * 1024 * 1024 }
const HOOKS_BUDGET = { files: 6, bytes: 32 * 1024 }

const checkout = checkoutCopy()
const plugins = ['switchboard@switchboard', 'tdd-editor@switchboard', 'tdd-design@switchboard']

describe.each(PINNED_VERSIONS)('marketplace install on Claude Code %s', (version) => {
  it('from git: copies plugin/ and plugin-hooks/ alone, within their budgets, and a session runs them from the copy', async () => {
    const install = installFromMarketplace(version, GIT_MARKETPLACE_URL, plugins, gitMarketplace(checkoutCopy()))
    const root = install.installPaths['switchboard@switchboard']!
    expect(root).toContain(join('.claude', 'plugins', 'cache'))
    // The companion came with it, as a dependency: nobody asked for it by name.
    const hooksRoot = install.installPaths['switchboard-hooks@switchboard']!
    expect(hooksRoot).toContain(join('.claude', 'plugins', 'cache'))
    const hooksCopied = measureFolder(hooksRoot)
    expect(readdirSync(hooksRoot).filter((e) => !SHIPPED_HOOKS.includes(e) && !CLAUDE_CODE_MARKS.includes(e))).toEqual(
      [],
    )
    expect(hooksCopied.nodeModules).toBe(false)
    expect(hooksCopied.files).toBeLessThanOrEqual(HOOKS_BUDGET.files)
    expect(hooksCopied.bytes).toBeLessThanOrEqual(HOOKS_BUDGET.bytes)
    const copied = measureFolder(root)
    const source = measureFolder(checkout)
    console.log(
      `Claude Code ${version}: a git install copied ${copied.files} files, ${(copied.bytes / 1024).toFixed(0)} KB, and for switchboard-hooks ${hooksCopied.files} files, ${(hooksCopied.bytes / 1024).toFixed(0)} KB (the repository: ${source.files} files, ${(source.bytes / 1024).toFixed(0)} KB)`,
    )
    expect(readdirSync(root).filter((entry) => !SHIPPED.includes(entry) && !CLAUDE_CODE_MARKS.includes(entry))).toEqual(
      [],
    )
    expect(copied.nodeModules).toBe(false)
    expect(copied.files).toBeLessThanOrEqual(BUDGET.files)
    expect(copied.bytes).toBeLessThanOrEqual(BUDGET.bytes)
    const run = await sessionOf(version, install.home)
    expect(switchboardPath(run)).toBe(root)
    expect(run.textSentTo('main')).toContain('Switchboard: 3 components of 2 plugins can be called across plugins.')
    const trace = runCli(['trace', '--session', String(run.init?.session_id)], {
      env: { HOME: install.home },
      bin: join(root, 'bin', 'switchboard'),
    })
    expect(trace.stdout).toMatch(/└─ tdd-editor:editor \(agent\)/)
  })

  const install = installFromMarketplace(version, checkout, plugins)
  const root = install.installPaths['switchboard@switchboard']!

  it('from a folder: the plugin is plugin/ of the checkout, with no node_modules and no lockfile', () => {
    expect(install.installPaths['switchboard-hooks@switchboard']).toBeDefined() // the dependency
    const copied = measureFolder(root)
    expect(copied.nodeModules).toBe(false)
    expect(existsSync(join(root, 'package-lock.json'))).toBe(false)
    expect(existsSync(join(root, 'bin', 'switchboard'))).toBe(true)
    expect(existsSync(join(root, 'hooks', 'bin', 'session-start.cjs'))).toBe(true)
  })

  it('loads in a session: the hook runs from the installed copy and sees the installed plugins', async () => {
    const run = await sessionOf(version, install.home)
    // A plugin of a local folder marketplace runs in place, from the marketplace folder.
    expect(switchboardPath(run)).toBe(join(checkout, 'plugin'))
    const hook = run.hookEvents.find((e) => e.subtype === 'hook_response' && e.hook_event === 'SessionStart')
    expect(hook).toMatchObject({ exit_code: 0, outcome: 'success' })
    expect(run.textSentTo('main')).toContain('Switchboard: 3 components of 2 plugins can be called across plugins.')
    expect(run.init?.slash_commands).toEqual(expect.arrayContaining(['switchboard:plugins']))
    expect(run.textSentTo('main')).toContain("- switchboard:invoke: Call another plugin's agent, command or skill")
    // /switchboard:plugins is the person's (disable-model-invocation): typed, not offered to the model.
    expect(run.textSentTo('main')).not.toContain('- switchboard:plugins:')
    // The registry, reading installed_plugins.json and known_marketplaces.json, agrees on where it runs from.
    const registry = runCli(['registry', '--json'], { env: { HOME: install.home } })
    expect(JSON.parse(registry.stdout).find((c: { id: string }) => c.id === 'tdd-editor:editor').file).toBe(
      join(checkout, 'examples', 'tdd-editor', 'agents', 'editor.md'),
    )
    // The snapshot lives in the plugin's data folder, not in the (replaceable) installed copy.
    const data = join(install.home, '.claude', 'plugins', 'data', 'switchboard-switchboard')
    expect(readdirSync(data).filter((f) => f.startsWith('registry-'))).toHaveLength(1)
    // The installed CLI, run from a terminal or the Bash tool (no CLAUDE_PLUGIN_DATA), reads the same folder as the hooks.
    const trace = runCli(['trace', '--session', String(run.init?.session_id)], {
      env: { HOME: install.home },
      bin: join(root, 'bin', 'switchboard'),
    })
    expect(trace.stdout).toMatch(/└─ tdd-editor:editor \(agent\)/)
    // doctor finds the companion installed beside it.
    const doctor = runCli(['doctor'], { env: { HOME: install.home }, bin: join(root, 'bin', 'switchboard') })
    expect(doctor.stdout).toContain('  Settings hooks:    switchboard-hooks loaded')

    // The next session in the same project, where the module runs, starts no node for SessionStart:
    // the module finds the installed plugin's data folder by the plugin-root the hook wrote there.
    const next = await sessionOf(version, install.home, run.cwd)
    const ranNode = next.hookEvents.some(
      (e) =>
        e.subtype === 'hook_response' && e.hook_event === 'SessionStart' && String(e.output).includes('Switchboard'),
    )
    expect(ranNode).toBe(expectedRuntime(version) === 'settings')
    expect(next.textSentTo('main')).toContain('Switchboard: 3 components of 2 plugins can be called across plugins.')
    expect(readFileSync(join(data, 'plugin-root'), 'utf8')).toBe(join(checkout, 'plugin'))
    const nextTrace = runCli(['trace', '--session', String(next.init?.session_id)], {
      env: { HOME: install.home },
      bin: join(root, 'bin', 'switchboard'),
    })
    expect(nextTrace.stdout).toMatch(/└─ tdd-editor:editor \(agent\)/)
  })
})

/** A session of an installed home in which the main thread calls the editor. */
async function sessionOf(version: PinnedVersion, home: string, cwd?: string): Promise<ClaudeRun> {
  const run = await runClaude({
    version,
    prompt: 'Edit',
    home,
    ...(cwd ? { cwd } : {}),
    withSwitchboard: false,
    scenario: { main: [{ call: callAgent('tdd-editor:editor', 'Edit: kites fly.') }, say('Done.')] },
  })
  expect(run.exitCode).toBe(0)
  return run
}

/** Where the session loaded Switchboard from (2.1.197 adds a trailing /). */
function switchboardPath(run: ClaudeRun): string | undefined {
  const plugins = (run.init?.plugins ?? []) as Array<{ name: string; path: string }>
  return plugins.find((p) => p.name === 'switchboard')?.path.replace(/\/$/, '')
}
