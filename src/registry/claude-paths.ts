/**
 * Where Claude Code keeps what it knows about plugins, honouring the same environment variables it
 * does (docs/claude-code-notes.md "On disk" and §8).
 */
import { homedir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'

export interface ClaudeLocations {
  /** `~/.claude`, or `$CLAUDE_CONFIG_DIR`. */
  configDir: string
  /** `<configDir>/plugins`, or `$CLAUDE_CODE_PLUGIN_CACHE_DIR`. */
  pluginsRoot: string
  /** The project whose `.claude/settings*.json` apply: `$CLAUDE_PROJECT_DIR`, else the working directory. */
  projectDir: string
  installedPluginsFile: string
  knownMarketplacesFile: string
  /** Settings files in increasing precedence: user, project, local. */
  settingsFiles: Array<{ scope: 'user' | 'project' | 'local'; file: string }>
}

export type Env = Readonly<Record<string, string | undefined>>

export function claudeLocations(env: Env, cwd: string): ClaudeLocations {
  const home = env.HOME || homedir()
  const configDir = resolve(cwd, env.CLAUDE_CONFIG_DIR || join(home, '.claude'))
  const pluginsRoot = resolve(cwd, env.CLAUDE_CODE_PLUGIN_CACHE_DIR || join(configDir, 'plugins'))
  const projectDir = resolve(cwd, env.CLAUDE_PROJECT_DIR || cwd)
  return {
    configDir,
    pluginsRoot,
    projectDir,
    installedPluginsFile: join(pluginsRoot, 'installed_plugins.json'),
    knownMarketplacesFile: join(pluginsRoot, 'known_marketplaces.json'),
    // When the project is the home folder, its .claude/settings.json IS the user settings: read it once.
    settingsFiles: [
      { scope: 'user' as const, file: join(configDir, 'settings.json') },
      { scope: 'project' as const, file: join(projectDir, '.claude', 'settings.json') },
      { scope: 'local' as const, file: join(projectDir, '.claude', 'settings.local.json') },
    ].filter((entry, index, all) => all.findIndex((other) => other.file === entry.file) === index),
  }
}

/**
 * Plugin folders given outside the command line. `SWITCHBOARD_PLUGIN_DIRS` is ours, for plugins a
 * session loads with `--plugin-dir` (Claude Code records those nowhere on disk);
 * `CLAUDE_CODE_PLUGIN_DIRS` is Claude Code's own equivalent of `--plugin-dir` (v2.1.280+), so a
 * plugin loaded that way is visible to Switchboard's hooks too. Both use the path delimiter.
 */
export function pluginDirsFromEnv(env: Env, cwd: string): string[] {
  return [env.SWITCHBOARD_PLUGIN_DIRS, env.CLAUDE_CODE_PLUGIN_DIRS]
    .flatMap((value) => (value ? value.split(delimiter) : []))
    .map((dir) => dir.trim())
    .filter((dir) => dir.length > 0)
    .map((dir) => resolve(cwd, dir))
}
