import { join } from 'node:path'
import { buildRegistry } from '../../src/registry/index.ts'
import type { Registry } from '../../src/registry/index.ts'

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures')

/** Builds a registry over fixture plugins only: a HOME with nothing installed, no env plugin dirs. */
export function fixtureRegistry(options: {
  plugins?: string[]
  marketplaces?: string[]
  env?: Record<string, string>
}): Registry {
  return buildRegistry({
    cwd: FIXTURES,
    env: { HOME: join(FIXTURES, 'no-home'), ...options.env },
    installed: false,
    pluginDirs: (options.plugins ?? []).map((p) => join(FIXTURES, 'plugins', p)),
    marketplaceRoots: (options.marketplaces ?? []).map((m) => join(FIXTURES, 'marketplaces', m)),
  })
}

export function component(registry: Registry, id: string) {
  const found = registry.components.find((c) => c.id === id)
  if (!found) throw new Error(`no component ${id}; have ${registry.components.map((c) => c.id).join(', ')}`)
  return found
}

export function codes(registry: Registry, file?: string): string[] {
  return registry.diagnostics.filter((d) => !file || d.file.endsWith(file)).map((d) => d.code)
}

export function plugin(registry: Registry, name: string) {
  const found = registry.plugins.find((p) => p.name === name)
  if (!found) throw new Error(`no plugin ${name}`)
  return found
}
