/**
 * What a registry is built from, resolved from the options without touching the disk: the key that
 * names a snapshot. Light (Node path only), so the hooks that only look for a fresh snapshot load
 * none of the registry build.
 */
import { homedir } from 'node:os'
import { NODE_PATHS } from './claude-paths.ts'
import { registryKeyWith } from './snapshot-locator.ts'
import type { KeySources, RegistryKey } from './snapshot-locator.ts'

export type { RegistryKey } from './snapshot-locator.ts'
export type RegistryOptions = KeySources

/** Resolves options into the exact sources to read; cheap, no disk access. */
export function registryKey(options: RegistryOptions): RegistryKey {
  return registryKeyWith(NODE_PATHS, options, options.env.HOME || homedir())
}
