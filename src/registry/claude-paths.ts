/**
 * Where Claude Code keeps what it knows about plugins, honouring the same environment variables it
 * does (docs/claude-code-notes.md "On disk" and §8).
 */
import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'
import { resolvePath } from './child-path.ts'
import { claudeFolders } from './snapshot-locator.ts'
import type { Env, PathOps } from './snapshot-locator.ts'

export type { Env } from './snapshot-locator.ts'

/** Node's path rules, for the shared location rules (snapshot-locator.ts). */
export const NODE_PATHS: PathOps = { resolve: resolvePath, join, delimiter }

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

export function claudeLocations(env: Env, cwd: string): ClaudeLocations {
  const { configDir, pluginsRoot, projectDir } = claudeFolders(NODE_PATHS, env, cwd, env.HOME || homedir())
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
