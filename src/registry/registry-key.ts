/**
 * What a registry is built from, resolved from the options without touching the disk: the key that
 * names a snapshot. Light (Node path only), so the hooks that only look for a fresh snapshot load
 * none of the registry build.
 */
import { resolve } from 'node:path'
import { claudeLocations, pluginDirsFromEnv } from './claude-paths.ts'
import type { Env } from './claude-paths.ts'

export interface RegistryOptions {
  cwd: string
  env: Env
  /** Explicit plugin folders (--plugin-dir), in addition to those from the environment. */
  pluginDirs?: string[]
  /** Marketplace folders whose local plugins are listed as if installed (--marketplace-root). */
  marketplaceRoots?: string[]
  /** Include the plugins installed in the Claude Code config folder (default true). */
  installed?: boolean
}

export interface RegistryKey {
  configDir: string
  projectDir: string
  pluginDirs: string[]
  marketplaceRoots: string[]
  installed: boolean
}

/** Resolves options into the exact sources to read; cheap, no disk access. */
export function registryKey(options: RegistryOptions): RegistryKey {
  const locations = claudeLocations(options.env, options.cwd)
  return {
    configDir: locations.configDir,
    projectDir: locations.projectDir,
    pluginDirs: [
      ...(options.pluginDirs ?? []).map((d) => resolve(options.cwd, d)),
      ...pluginDirsFromEnv(options.env, options.cwd),
    ],
    marketplaceRoots: (options.marketplaceRoots ?? []).map((d) => resolve(options.cwd, d)),
    installed: options.installed ?? true,
  }
}
