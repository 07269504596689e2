/**
 * Capability routing: a caller asks for `seo-analysis@^1` instead of a plugin by name, and the
 * provider is chosen among the components that declare it (orchestration.provides). Rules: only
 * callable providers count; the highest version inside the range wins; if several components share
 * that highest version, nothing is chosen and the candidates are named (the caller must pick one).
 */
import satisfies from 'semver/functions/satisfies.js'
import rcompare from 'semver/functions/rcompare.js'
import validRange from 'semver/ranges/valid.js'
import Range from 'semver/classes/range.js'
import { CAPABILITY_AT } from '../manifest/name-rules.ts'
import type { Provider, Route } from './capability-request.ts'

const CAPABILITY_REQUEST = CAPABILITY_AT

export function routeCapability(request: string, providers: readonly Provider[]): Route {
  const match = CAPABILITY_REQUEST.exec(request)
  if (!match || validRange(match[2]!) === null)
    return {
      ok: false,
      explanation: `"${request}" is not a capability request; write name@range, e.g. seo-analysis@^1.`,
    }
  const [, name, range] = match as unknown as [string, string, string]
  const offers = providers.flatMap((p) =>
    (p.orchestration?.provides ?? [])
      .filter((c) => c.name === name)
      .map((c) => ({ id: p.id, version: c.version, callable: p.callable })),
  )
  if (offers.length === 0)
    return {
      ok: false,
      explanation: `no installed component provides "${name}". Install a plugin that provides it, or call a component by its id.`,
    }
  const inRange = offers.filter((o) => satisfies(o.version, range, { includePrerelease: true }))
  const callable = inRange.filter((o) => o.callable)
  if (callable.length === 0) {
    const seen = offers.map((o) => `${o.id} (${o.version}${o.callable ? '' : ', private'})`).join(', ')
    return {
      ok: false,
      explanation: `no callable component provides ${name}@${range}. Providers: ${seen}. ${inRange.length > 0 ? 'The ones in range are private.' : 'Widen the range, or update the provider.'}`,
    }
  }
  const sorted = [...callable].sort((a, b) => rcompare(a.version, b.version))
  const best = sorted[0]!
  const tied = sorted.filter((o) => o.version === best.version)
  if (tied.length > 1) {
    return {
      ok: false,
      explanation: `${tied.length} components provide ${name} ${best.version}: ${tied.map((o) => o.id).join(', ')}. Call one of them by its id.`,
    }
  }
  const others = sorted.slice(1)
  const explanation =
    others.length === 0
      ? `${best.id} is the only provider of ${name}@${range} (${best.version}).`
      : `${best.id} provides ${name} ${best.version}, the highest version in ${range}; also in range: ${others.map((o) => `${o.id} (${o.version})`).join(', ')}.`
  return { ok: true, provider: best.id, version: best.version, explanation }
}

/**
 * Which components each capability entry of an orchestration `calls` list (`seo-analysis@^1`) admits:
 * those that provide the capability at a version in the range, private ones included (the guard
 * names privacy on its own). Worked out when the registry is built, so the guard, which runs on every
 * call, needs no semver (loading it cost a hook process about 20 ms).
 */
export function capabilityCallTable(
  components: readonly (Provider & { orchestration: { calls?: readonly string[] } | null })[],
): Record<string, string[]> {
  // Each range parsed once, and tested only against the providers of its capability (not every component).
  const offers = new Map<string, Array<{ id: string; version: string }>>()
  for (const c of components)
    for (const p of c.orchestration?.provides ?? [])
      offers.set(p.name, [...(offers.get(p.name) ?? []), { id: c.id, version: p.version }])
  const table: Record<string, string[]> = {}
  for (const pattern of new Set(components.flatMap((c) => c.orchestration?.calls ?? []))) {
    const match = CAPABILITY_REQUEST.exec(pattern)
    if (!match || pattern.includes(':') || validRange(match[2]!) === null) continue
    const range = new Range(match[2]!, { includePrerelease: true })
    table[pattern] = [...new Set((offers.get(match[1]!) ?? []).filter((o) => range.test(o.version)).map((o) => o.id))]
  }
  return table
}
