/**
 * The runtime part of `switchboard doctor`: which runtime would run Switchboard (docs/runtimes.md),
 * from the Claude Code version, the organization's managed settings and the last session of this
 * project. The logic takes its I/O as parameters (`RuntimeSources`); doctor.ts reads the real ones.
 */
import { spawnSync } from 'node:child_process'
import { readProjectConfig } from '../registry/claude-config.ts'
import type { ProjectConfig } from '../registry/claude-config.ts'
import { readManagedSettings } from '../registry/managed-settings.ts'
import {
  claudeVersionFromEnv,
  claudeVersionFromOutput,
  lastSessionOf,
  loadsHooksModules,
  disabledMcpBlock,
  loadsSettingsHooks,
  managedMcpBlock,
  mcpBlockProblem,
  MODS_SINCE,
  OWN_MCP_SERVER,
  settingsHooksMismatch,
  settingsHooksMissing,
} from '../trace/index.ts'
import type { RuntimeName } from '../trace/index.ts'

export interface RuntimeSources {
  env: Readonly<Record<string, string | undefined>>
  /** What `claude --version` printed; undefined when no `claude` runs. */
  claudeVersionOutput: () => string | undefined
  /** The managed-settings files, in the order Claude Code applies them (later wins). */
  managedSettings: () => Array<{ file: string; text: string }>
  /** Claude Code's config file and this project's keys in it, where the person's /mcp switches live. */
  projectConfig: () => ProjectConfig | undefined
  /** The last session of this project, and the runtime that ran it (undefined: unknown). */
  lastSession: () => { id: string; runtime: RuntimeName | undefined } | undefined
  /** The plugins a session here would load (the registry's records): is the settings hooks' companion among them? */
  plugins: () => ReadonlyArray<{ name: string; marketplace: string | null; enabled: boolean; loaded: boolean }>
}

export interface RuntimeReport {
  claudeCode: { version: string; source: 'this session (AI_AGENT)' | 'claude --version' } | null
  hooksModules: 'supported' | 'not supported' | 'unknown'
  /** Managed settings that turn Switchboard's hooks off (wholly or the module only), with the file that sets each. */
  managed: Array<{ key: ManagedSwitch; file: string }>
  wouldRun: RuntimeName | 'none' | 'unknown'
  /**
   * Whether a session here loads switchboard-hooks, the companion plugin with the per-call settings
   * hooks; unknown where doctor does not find Switchboard itself (loaded with --plugin-dir, not given here).
   */
  settingsHooks: 'loaded' | 'not loaded' | 'unknown'
  lastSession: { id: string; runtime: RuntimeName | undefined } | null
  /** What is wrong or degraded, each with its fix. */
  problems: string[]
}

type ManagedSwitch = 'allowManagedModsOnly' | 'disableAllHooks' | 'allowManagedHooksOnly'

/** Decides what the sources say. Never throws on a broken managed-settings file: it is reported. */
export function runtimeReport(sources: RuntimeSources): RuntimeReport {
  const problems: string[] = []
  const inSession = claudeVersionFromEnv(sources.env)
  const printed = inSession ? undefined : claudeVersionFromOutput(sources.claudeVersionOutput() ?? '')
  const claudeCode = inSession
    ? { version: inSession, source: 'this session (AI_AGENT)' as const }
    : printed
      ? { version: printed, source: 'claude --version' as const }
      : null
  if (!claudeCode)
    problems.push(
      'Claude Code not found: no `claude` on PATH answered `claude --version`. Run doctor where you run Claude Code (or in it: `!switchboard doctor`).',
    )
  const hooksModules = !claudeCode ? 'unknown' : loadsHooksModules(claudeCode.version) ? 'supported' : 'not supported'
  if (hooksModules === 'not supported')
    problems.push(
      `Claude Code ${claudeCode!.version} predates hooks modules (${MODS_SINCE}+): Switchboard runs as settings hooks, each a call to its MCP server. Update Claude Code (\`claude update\`) to run it inside Claude Code.`,
    )
  const managedFiles = sources.managedSettings()
  const managed = managedSwitches(managedFiles, problems)
  const off = managed.find((m) => m.key !== 'allowManagedModsOnly')
  const modsOff = managed.find((m) => m.key === 'allowManagedModsOnly')
  if (off)
    problems.push(
      `${off.file} sets ${off.key}: Claude Code runs none of Switchboard's hooks (unless your organization enables Switchboard itself in its managed settings), so cross-plugin calls are not checked or traced. Only your administrator can change managed settings.`,
    )
  else if (modsOff && hooksModules !== 'not supported')
    problems.push(
      `${modsOff.file} sets allowManagedModsOnly: no hooks module you installed loads, so Switchboard runs as settings hooks. Only your administrator can change managed settings (or install Switchboard as the organization's plugin).`,
    )
  const wouldRun = off
    ? 'none'
    : hooksModules === 'unknown'
      ? 'unknown'
      : hooksModules === 'supported' && !modsOff
        ? 'hooks module'
        : 'settings hooks'
  // The module needs no companion; without one there is nothing to fall back on, which matters only where it does not run.
  const plugins = sources.plugins()
  const settingsHooks = !plugins.some((p) => p.name === 'switchboard')
    ? 'unknown'
    : loadsSettingsHooks(plugins)
      ? 'loaded'
      : 'not loaded'
  const settingsMayRun = wouldRun === 'settings hooks' || wouldRun === 'unknown'
  if (settingsHooks === 'not loaded' && settingsMayRun) problems.push(settingsHooksMissing(plugins))
  const mismatch = settingsHooks === 'loaded' ? settingsHooksMismatch(plugins) : undefined
  if (mismatch && settingsMayRun) problems.push(mismatch)
  const mcpBlock = managedMcpBlock(managedFiles) ?? disabledMcpBlock(sources.projectConfig())
  if (mcpBlock && wouldRun !== 'none') problems.push(mcpBlockProblem(mcpBlock, wouldRun))
  const lastSession = sources.lastSession() ?? null
  if (lastSession?.runtime && wouldRun !== 'unknown' && wouldRun !== 'none' && lastSession.runtime !== wouldRun) {
    problems.push(
      `The last session here ran the ${lastSession.runtime}, not the ${wouldRun}: it ran under another Claude Code or other settings. A new session runs the ${wouldRun}; if it does not, its SessionStart line and \`switchboard trace\` say which runtime ran.`,
    )
  }
  return { claudeCode, hooksModules, managed, wouldRun, settingsHooks, lastSession, problems }
}

/** The report as doctor's lines. */
export function formatRuntimeReport(report: RuntimeReport): string[] {
  const version = report.claudeCode ? `${report.claudeCode.version} (${report.claudeCode.source})` : 'not found'
  const modules =
    report.hooksModules === 'unknown'
      ? 'unknown (no Claude Code version)'
      : `${report.hooksModules} (${MODS_SINCE} and later)`
  const managed = report.managed.length
    ? report.managed.map((m) => `${m.key} (${m.file})`).join(', ')
    : 'nothing that turns Switchboard off'
  const last = report.lastSession
    ? `${report.lastSession.id}: ${report.lastSession.runtime ?? 'nothing recorded'}`
    : 'none recorded yet'
  return [
    'Runtime:',
    `  Claude Code:       ${version}`,
    `  Hooks modules:     ${modules}`,
    `  Managed settings:  ${managed}`,
    `  Would run:         ${report.wouldRun}`,
    `  Settings hooks:    ${SETTINGS_HOOKS_STATE[report.settingsHooks]}`,
    `  Last session here: ${last}`,
    ...report.problems.map((p) => `  Problem: ${p}`),
  ]
}

const SETTINGS_HOOKS_STATE = {
  loaded: 'switchboard-hooks loaded (the fallback where the module does not run)',
  'not loaded': 'switchboard-hooks not loaded',
  unknown: 'unknown: Switchboard is not among the plugins found here (for --plugin-dir, give doctor the same folders)',
} as const

/** The real sources: the environment, `claude` on PATH, the managed-settings folder, the data folder. */
export function runtimeSources(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  dataDir: string,
  plugins: RuntimeSources['plugins'],
): RuntimeSources {
  return {
    env,
    plugins,
    claudeVersionOutput: () => {
      const result = spawnSync('claude', ['--version'], {
        encoding: 'utf8',
        timeout: 10_000,
        env: { ...env, DISABLE_AUTOUPDATER: '1' } as NodeJS.ProcessEnv,
      })
      return result.status === 0 ? result.stdout : undefined
    },
    managedSettings: () => readManagedSettings(),
    projectConfig: () => readProjectConfig(env, cwd, OWN_MCP_SERVER),
    lastSession: () => lastSessionOf(dataDir, cwd),
  }
}

// --- internal ---

/** The switches that are on, each with the last file that sets it (a later file overrides an earlier one). */
function managedSwitches(
  files: Array<{ file: string; text: string }>,
  problems: string[],
): Array<{ key: ManagedSwitch; file: string }> {
  const found = new Map<ManagedSwitch, { value: unknown; file: string }>()
  for (const { file, text } of files) {
    let settings: Record<string, unknown>
    try {
      settings = JSON.parse(text) as Record<string, unknown>
    } catch {
      problems.push(
        `${file} is not valid JSON, so doctor cannot tell what it switches off. Ask your administrator to fix it.`,
      )
      continue
    }
    const options = (settings?.pluginConfigs as Record<string, { options?: Record<string, unknown> }> | undefined)?.[
      'cc-plugin-sec-default@builtin'
    ]?.options
    const values: Array<[ManagedSwitch, unknown]> = [
      ['disableAllHooks', settings?.disableAllHooks],
      ['allowManagedHooksOnly', settings?.allowManagedHooksOnly],
      ['allowManagedModsOnly', options?.allowManagedModsOnly],
    ]
    for (const [key, value] of values) if (value !== undefined) found.set(key, { value, file })
  }
  return [...found].filter(([, v]) => v.value === true).map(([key, v]) => ({ key, file: v.file }))
}
