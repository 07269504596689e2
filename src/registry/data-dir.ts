/**
 * Where Switchboard keeps its state (snapshots, sessions, slots, traces): the one function that the
 * hooks, the CLI and the MCP server all call, so they always meet in the same folder.
 *
 * Precedence:
 * 1. `$SWITCHBOARD_DATA_DIR`: an explicit choice (tests, a read-only home).
 * 2. `${CLAUDE_PLUGIN_DATA}`: set by Claude Code for plugin hooks and MCP servers (not for the Bash
 *    tool; docs/claude-code-notes.md "Environment of plugin processes"). Every process that reads it is
 *    Switchboard's own: the companion plugin switchboard-hooks runs no code (its per-call hooks are
 *    answered by Switchboard's MCP server, mcp/hook-tool.ts).
 * 3. The folder Claude Code would give the plugin installed at `pluginRoot`: the install record
 *    whose path (or, for a local folder marketplace, whose marketplace folder) holds it, named
 *    `<plugins>/data/<plugin@marketplace with other characters as ->`. This is how the CLI, run from
 *    the Bash tool or a terminal, finds the folder its own hooks use.
 * 4. `<plugins>/data/switchboard-inline`: what Claude Code sets for a `--plugin-dir` session.
 */
import { realpathSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import { claudeLocations } from './claude-paths.ts'
import type { ClaudeLocations, Env } from './claude-paths.ts'
import { readInstalledState } from './installed.ts'

export function dataDir(env: Env, cwd: string, pluginRoot?: string): string {
  if (env.SWITCHBOARD_DATA_DIR) return resolve(cwd, env.SWITCHBOARD_DATA_DIR)
  // Every hook and the MCP server: nothing else to read.
  if (env.CLAUDE_PLUGIN_DATA) return resolve(cwd, env.CLAUDE_PLUGIN_DATA)
  const locations = claudeLocations(env, cwd)
  const key = pluginRoot ? installKeyOf(pluginRoot, locations) : undefined
  return join(locations.pluginsRoot, 'data', pluginDataName(key ?? 'switchboard@inline'))
}

/** Claude Code's folder name for a plugin's data: the key with characters outside [A-Za-z0-9_-] as `-`. */
function pluginDataName(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]/g, '-')
}

// --- internal ---

/** The install key (`switchboard@marketplace`) of the plugin copy at `root`, if Claude Code installed it. */
function installKeyOf(root: string, locations: ClaudeLocations): string | undefined {
  const real = realPath(root)
  const state = readInstalledState(locations)
  const exact = state.installs.find((install) => realPath(install.installPath) === real)
  if (exact) return exact.key
  // A plugin from a local folder marketplace runs in place, from the marketplace folder, not the cache copy.
  for (const install of state.installs) {
    const marketplace = state.marketplaces.get(install.marketplace)
    if (!marketplace?.local) continue
    const location = realPath(marketplace.location)
    if (real === location || real.startsWith(location + sep)) return install.key
  }
  return undefined
}

function realPath(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}
