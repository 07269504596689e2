/**
 * plugin.json as PluginManifestSchema reads it, for the manifests most plugins have: a name, text
 * fields, an author, keywords, a homepage, component paths. zod's parse of the whole object was about
 * 5% of a registry build's JavaScript (measured on the corpus, where nearly every manifest looks like
 * this); these few checks by hand are a fraction of it. Anything else (dependencies, a map of commands,
 * inline hooks, a value of the wrong type, a field zod would report) answers `undefined`, and the caller
 * runs zod as before. test/manifest/plain-manifest.test.ts holds it to zod over the corpus and random
 * manifests.
 */
import { PluginManifestSchema } from './plugin-manifest.ts'
import type { PluginManifest } from './plugin-manifest.ts'

/** The manifest as PluginManifestSchema.safeParse gives it (`data`) when it is plainly valid, else undefined. */
export function plainManifest(raw: Record<string, unknown>): PluginManifest | undefined {
  const name = raw.name
  if (typeof name !== 'string' || name === '' || NAME_REFUSED.test(name) || Object.hasOwn(raw, '__proto__'))
    return undefined
  // zod's output: the schema's keys in its order, then the others as they are (a loose object).
  const manifest: Record<string, unknown> = {}
  for (const key of SCHEMA_KEYS) {
    const value = raw[key]
    if (value === undefined) {
      if (Object.hasOwn(raw, key)) return undefined
      continue
    }
    const read = readField(key, value)
    if (read === undefined) return undefined
    manifest[key] = read
  }
  for (const key of Object.keys(raw)) {
    if (SCHEMA_KEY_SET.has(key)) continue
    const value = raw[key]
    if (value === undefined) return undefined
    manifest[key] = value
  }
  return manifest as PluginManifest
}

// --- internal ---

/** The name rule of PluginManifestSchema. */
const NAME_REFUSED = /[@:/\\\s]/

const SCHEMA_KEYS = Object.keys(PluginManifestSchema.shape)
const SCHEMA_KEY_SET: ReadonlySet<string> = new Set(SCHEMA_KEYS)

/** The fields read here; any other field of the schema (components, dependencies, ...) is zod's. */
const TEXT_FIELDS: ReadonlySet<string> = new Set([
  '$schema',
  'name',
  'displayName',
  'version',
  'description',
  'license',
])

/** zod's own field schema for `homepage` (its URL rule trims, and is zod's to say). */
const Homepage = PluginManifestSchema.shape.homepage

/** A field's value as zod gives it back, or undefined where zod is to decide. */
function readField(key: string, value: unknown): unknown {
  if (TEXT_FIELDS.has(key)) return typeof value === 'string' ? value : undefined
  switch (key) {
    case 'author':
      return author(value)
    case 'keywords':
      return Array.isArray(value) && value.every((item) => typeof item === 'string') ? [...value] : undefined
    case 'repository':
      if (typeof value === 'string') return value
      return isPlainObject(value) && !Object.hasOwn(value, '__proto__') ? { ...value } : undefined
    case 'homepage': {
      const url = Homepage.safeParse(value)
      return url.success ? url.data : undefined
    }
    case 'skills':
    case 'outputStyles':
    case 'workflows':
      return pathOrPaths(value, isComponentPath)
    case 'agents':
      return pathOrPaths(value, isAgentPath)
    case 'mcpServers':
    case 'lspServers':
      if (typeof value === 'string') return value
      if (Array.isArray(value)) return [...value]
      return isPlainObject(value) && !Object.hasOwn(value, '__proto__') ? { ...value } : undefined
    case 'defaultEnabled':
      return typeof value === 'boolean' ? value : undefined
    case 'commands':
      return pathOrPaths(value, isComponentPath) // a map of commands is zod's
    case 'hooks':
      return pathOrPaths(value, isHooksPath) // inline hooks are zod's
    default:
      return undefined // dependencies: zod's
  }
}

/** ComponentPath of plugin-manifest.ts: relative to the plugin root, starting with "./". */
function isComponentPath(value: unknown): boolean {
  return typeof value === 'string' && (value.startsWith('./') || value === '.')
}

/** AgentPath of plugin-manifest.ts: a component path to a .md file. */
function isAgentPath(value: unknown): boolean {
  return isComponentPath(value) && (value as string).endsWith('.md')
}

/** HooksPath of plugin-manifest.ts: a component path to a .json file. */
function isHooksPath(value: unknown): boolean {
  return isComponentPath(value) && (value as string).endsWith('.json')
}

/** One path, or a list of them (a copy, as zod gives). */
function pathOrPaths(value: unknown, isPath: (value: unknown) => boolean): unknown {
  if (isPath(value)) return value
  return Array.isArray(value) && value.every(isPath) ? [...value] : undefined
}

/** `{ name, email?, url? }` and any other keys, in zod's order. */
function author(value: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(value) || Object.hasOwn(value, '__proto__')) return undefined
  const { name, email, url } = value
  if (typeof name !== 'string' || name === '') return undefined
  if (!(email === undefined ? !Object.hasOwn(value, 'email') : typeof email === 'string')) return undefined
  if (!(url === undefined ? !Object.hasOwn(value, 'url') : typeof url === 'string')) return undefined
  const copy: Record<string, unknown> = { name }
  if (email !== undefined) copy.email = email
  if (url !== undefined) copy.url = url
  for (const key of Object.keys(value)) {
    if (key === 'name' || key === 'email' || key === 'url') continue
    if (value[key] === undefined) return undefined
    copy[key] = value[key]
  }
  return copy
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
