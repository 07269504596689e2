/**
 * Which runtime runs Switchboard (docs/runtimes.md): the hooks module inside Claude Code 2.1.287+,
 * or the settings hooks. Pure (no Node): SessionStart, `switchboard doctor` and `switchboard trace`
 * pass in what they read.
 *
 * The module sets two variables in Claude Code's environment at `classic.SessionStart`, before the
 * settings hooks of that event start (observed on 2.1.332 and 2.1.331: a module's `$.env.set` there
 * reaches them, while its `session.start` runs only after them; docs/claude-code-notes.md "Mods"):
 * SWITCHBOARD_RUNTIME=module, and SWITCHBOARD_RUNTIME_SESSION=<session id>. SessionStart's hook, and the
 * per-call settings hooks (answered by the MCP server, mcp/hook-tool.ts, by the hook input's session id),
 * step aside only when the second names their own session: a Claude Code started from another one's
 * Bash tool inherits both variables, and its hooks must not take them for its own module.
 */

import { SETTINGS_HOOKS_PLUGIN } from '../registry/snapshot-locator.ts'

export type RuntimeName = 'hooks module' | 'settings hooks'

/** The first Claude Code version that loads hooks modules. */
export const MODS_SINCE = '2.1.287'

/** What SessionStart can tell from its environment. */
export interface SessionRuntime {
  runtime: RuntimeName
  /** Claude Code's version, when its environment names it. */
  version: string | undefined
}

/** The runtime of the session `sessionId`, from the environment of a process Claude Code started for it (a hook, the MCP server). */
export function sessionRuntimeFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  sessionId: string,
): SessionRuntime {
  const version = claudeVersionFromEnv(env)
  // Variables inherited from another session name that session: the hooks here do the work.
  return {
    runtime:
      env.SWITCHBOARD_RUNTIME === 'module' && env.SWITCHBOARD_RUNTIME_SESSION === sessionId
        ? 'hooks module'
        : 'settings hooks',
    version,
  }
}

/**
 * Claude Code's version from the environment it gives its hooks and Bash tool: `AI_AGENT`, which it
 * sets to `claude-code_<version with dashes>_<role>` (2.1.197, 2.1.331, 2.1.332; undocumented).
 */
export function claudeVersionFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const match = /^claude-code[_/](\d+)[-.](\d+)[-.](\d+)[_/]/.exec(env.AI_AGENT ?? '')
  return match ? `${match[1]}.${match[2]}.${match[3]}` : undefined
}

/** The version `claude --version` prints first (`2.1.332 (Claude Code)`). */
export function claudeVersionFromOutput(text: string): string | undefined {
  return /^\s*v?(\d+\.\d+\.\d+)\b/.exec(text)?.[1]
}

/** Whether a Claude Code version loads hooks modules (2.1.287 and later). */
export function loadsHooksModules(version: string): boolean {
  return versionAtLeast(version, MODS_SINCE)
}

/**
 * Whether Claude Code runs agents in the background unless asked otherwise: from 2.1.198 on (the
 * main thread's; in `-p`, an agent's own calls still come back in the foreground). Before, only an
 * agent asked to (`run_in_background`) did.
 */
export function backgroundByDefault(version: string): boolean {
  return versionAtLeast(version, '2.1.198')
}

/** `a.b.c` at least `x.y.z`, both plain release versions. */
function versionAtLeast(version: string, floor: string): boolean {
  const [a, b, c] = version.split('.').map(Number)
  const [x, y, z] = floor.split('.').map(Number)
  return a! !== x! ? a! > x! : b! !== y! ? b! > y! : c! >= z!
}

/** A plugin as the registry records it, as far as the runtime cares. */
interface LoadedPlugin {
  name: string
  marketplace: string | null
  enabled: boolean
  loaded: boolean
  version?: string | null
}

/**
 * Whether the session loads switchboard-hooks, the companion whose per-call settings hooks do the work
 * where the module does not run, from Switchboard's own marketplace (or, like it, by --plugin-dir).
 */
export function loadsSettingsHooks(plugins: readonly LoadedPlugin[]): boolean {
  const own = plugins.filter(isLoadedSwitchboard)
  return plugins.some(
    (p) =>
      p.name === SETTINGS_HOOKS_PLUGIN &&
      p.enabled &&
      p.loaded &&
      (own.length === 0 || own.some((o) => o.marketplace === p.marketplace)),
  )
}

/** Switchboard itself, enabled and loaded: a disabled copy or one Claude Code refused says nothing of this session. */
function isLoadedSwitchboard(p: LoadedPlugin): boolean {
  return p.name === 'switchboard' && p.enabled && p.loaded
}

/** What to tell a person whose settings hooks are missing, with the command that installs or enables them. */
export function settingsHooksMissing(plugins: readonly LoadedPlugin[]): string {
  const marketplace = (plugins.find(isLoadedSwitchboard) ?? plugins.find((p) => p.name === 'switchboard'))?.marketplace
  const disabled = plugins.some((p) => p.name === SETTINGS_HOOKS_PLUGIN && p.marketplace === marketplace && !p.enabled)
  const fix = !marketplace
    ? 'Install it: `--plugin-dir` its folder (plugin-hooks/ beside plugin/)'
    : disabled
      ? `Enable it: \`claude plugin enable ${SETTINGS_HOOKS_PLUGIN}@${marketplace}\``
      : `Install it: \`claude plugin install ${SETTINGS_HOOKS_PLUGIN}@${marketplace}\``
  return `Switchboard's companion plugin ${SETTINGS_HOOKS_PLUGIN} is not loaded, so where the hooks module does not run, cross-plugin calls are neither checked nor traced. ${fix}.`
}

/**
 * What to tell a person whose companion is of another version than Switchboard: since 0.4.0 its hooks are
 * calls to Switchboard's MCP server, and an update of one does not update the other (`claude plugin update`
 * leaves a dependency as it is). Undefined where both agree, or either is missing or unversioned.
 */
export function settingsHooksMismatch(plugins: readonly LoadedPlugin[]): string | undefined {
  const own = plugins.find(isLoadedSwitchboard)
  const companion = plugins.find(
    (p) => p.name === SETTINGS_HOOKS_PLUGIN && p.enabled && p.loaded && p.marketplace === own?.marketplace,
  )
  if (!own?.version || !companion?.version || own.version === companion.version) return undefined
  const update = own.marketplace
    ? `Update both: \`claude plugin update switchboard@${own.marketplace}\` and \`claude plugin update ${SETTINGS_HOOKS_PLUGIN}@${own.marketplace}\``
    : 'Load the plugin-hooks/ folder of the same checkout as plugin/'
  return `Switchboard's companion plugin ${SETTINGS_HOOKS_PLUGIN} is ${companion.version}, Switchboard ${own.version}: they are made to work together at one version, and where the hooks module does not run a companion newer than Switchboard asks it for a hook tool it may lack, leaving cross-plugin calls unchecked. ${update}.`
}

/**
 * What keeps Switchboard's MCP server out of sessions here, and the file that says so: a managed MCP
 * list (the organization's), or the person's own `/mcp` switch for this project (`disabledMcpServers`
 * in Claude Code's config file, under `project`).
 */
export type McpServerBlock =
  | { file: string; key: 'deniedMcpServers' | 'allowedMcpServers' }
  | { file: string; key: 'disabledMcpServers'; project: string }

/** The name Claude Code gives Switchboard's MCP server, which managed MCP lists name it by (2.1.197, probed). */
export const OWN_MCP_SERVER = 'plugin:switchboard:switchboard'

/**
 * A managed MCP list that keeps Switchboard's server out, and the file that says so: `deniedMcpServers`
 * naming it, or an `allowedMcpServers` list whose names leave it out (an entry by command or URL might
 * still let it in: said as "may"). Probed on 2.1.197: `{ "serverName": "plugin:switchboard:switchboard" }`
 * denies it (`{ "serverName": "switchboard" }` does not), and an allowlist without it keeps it out too.
 */
export function managedMcpBlock(files: ReadonlyArray<{ file: string; text: string }>): McpServerBlock | undefined {
  const names = (list: unknown): string[] =>
    Array.isArray(list)
      ? list.map((entry) => (entry as { serverName?: unknown } | null)?.serverName).filter((n) => typeof n === 'string')
      : []
  // Claude Code merges managed-settings.json and its drop-ins with arrays concatenated, so an allowlist
  // is every file's entries together: one file's list that leaves the server out is not the last word.
  let allowlist: { file: string; names: string[] } | undefined
  for (const { file, text } of files) {
    let settings: Record<string, unknown>
    try {
      settings = JSON.parse(text) as Record<string, unknown>
    } catch {
      continue // a file that is not JSON: doctor says so (cli/runtime-report.ts)
    }
    if (names(settings?.deniedMcpServers).includes(OWN_MCP_SERVER)) return { file, key: 'deniedMcpServers' }
    if (Array.isArray(settings?.allowedMcpServers))
      allowlist = {
        file: allowlist?.file ?? file,
        names: [...(allowlist?.names ?? []), ...names(settings.allowedMcpServers)],
      }
  }
  return allowlist && !allowlist.names.includes(OWN_MCP_SERVER)
    ? { file: allowlist.file, key: 'allowedMcpServers' }
    : undefined
}

/**
 * The person's `/mcp` switch that turned Switchboard's server off for this project: its name in
 * `projects[<key>].disabledMcpServers` of Claude Code's config file (registry/claude-config.ts reads it).
 * Probed on 2.1.197: that entry, under the session's folder or its repository's, keeps the server out
 * (status "disabled"); the short name `switchboard` does not. The file can be large and seldom names the
 * server: the reader hands it over only where its bytes do, so it is parsed only then.
 */
export function disabledMcpBlock(
  config: { file: string; text: string; projectKeys: readonly string[] } | undefined,
): McpServerBlock | undefined {
  if (!config) return undefined // the reader searched the file's bytes for the name first (claude-config.ts)
  let projects: unknown
  try {
    projects = (JSON.parse(config.text) as { projects?: unknown } | null)?.projects
  } catch {
    return undefined // Claude Code rewrites a broken config file; nothing switched off that it would read
  }
  if (typeof projects !== 'object' || projects === null) return undefined
  const project = config.projectKeys.find((key) => {
    const disabled = Object.hasOwn(projects, key)
      ? (projects as Record<string, { disabledMcpServers?: unknown } | null>)[key]?.disabledMcpServers
      : undefined
    return Array.isArray(disabled) && disabled.includes(OWN_MCP_SERVER)
  })
  return project === undefined ? undefined : { file: config.file, key: 'disabledMcpServers', project }
}

/** What keeping Switchboard's server out costs, in the runtime that runs, and the fix. */
export function mcpBlockProblem(block: McpServerBlock, wouldRun: RuntimeName | 'unknown'): string {
  const lost =
    wouldRun === 'hooks module'
      ? 'its MCP tools (registry_search, plan_call, the context store, workflows) are missing'
      : 'its settings hooks, which that server answers, cannot run: cross-plugin calls are not checked or traced (strict mode included), and its MCP tools are missing'
  if (block.key === 'disabledMcpServers')
    return `Switchboard's MCP server (${OWN_MCP_SERVER}) is switched off for ${block.project} (disabledMcpServers in ${block.file}, as /mcp leaves it): ${lost}. Switch it on again: /mcp, select ${OWN_MCP_SERVER}, Enable.`
  const how = block.key === 'deniedMcpServers' ? 'denies' : 'may leave out, as its allowlist does not name it,'
  return `${block.file}'s ${block.key} ${how} Switchboard's MCP server (${OWN_MCP_SERVER}): ${lost}. Only your administrator can change managed settings (add { "serverName": "${OWN_MCP_SERVER}" } to the allowlist, or take it off the denylist).`
}

/**
 * The one line SessionStart gives the model about the runtime (it costs tokens on every session), and
 * more where the settings hooks should run but their companion plugin is not loaded, or is of another
 * version than Switchboard, or a managed MCP list or the person's /mcp switch keeps out the server that answers them: those are
 * also the `warning` SessionStart shows the person (an update of Switchboard does not install a
 * dependency its new version added: observed on 2.1.197 and 2.1.332).
 */
export function runtimeLine(
  session: SessionRuntime,
  plugins: readonly LoadedPlugin[],
  mcpBlock?: McpServerBlock,
): { line: string; warning?: string } {
  if (session.runtime === 'hooks module') return { line: 'Switchboard runtime: hooks module.' }
  const why =
    session.version === undefined
      ? ''
      : loadsHooksModules(session.version)
        ? ` (Claude Code ${session.version} did not load its hooks module; \`switchboard doctor\` says why)`
        : ` (Claude Code ${session.version} predates hooks modules)`
  const line = `Switchboard runtime: settings hooks${why}.`
  // A registry without Switchboard in it cannot tell which plugins the session loaded: a `--plugin-dir`
  // session where no /proc shows its command line (macOS, Windows), as doctor says ('unknown').
  const knowsPlugins = plugins.some((p) => p.name === 'switchboard')
  const warnings = [
    loadsSettingsHooks(plugins)
      ? settingsHooksMismatch(plugins)
      : knowsPlugins
        ? settingsHooksMissing(plugins)
        : undefined,
    mcpBlock && mcpBlockProblem(mcpBlock, 'settings hooks'),
  ].filter((w) => w !== undefined)
  const warning = warnings.length > 0 ? warnings.join('\n') : undefined
  return warning === undefined ? { line } : { line: `${line}\n${warning}`, warning }
}
