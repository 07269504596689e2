import { describe, expect, it } from 'vitest'
import { routeCapability } from '../../src/resolve/index.ts'
import type { Provider } from '../../src/resolve/index.ts'

const provider = (id: string, version: string, callable = true, name = 'seo-analysis'): Provider => ({
  id,
  callable,
  orchestration: { provides: [{ name, version }] },
})

describe('routeCapability', () => {
  it('picks the highest version in range and names the others', () => {
    expect(
      routeCapability('seo-analysis@^1', [
        provider('a:x', '1.2.0'),
        provider('b:y', '1.10.1'),
        provider('c:z', '2.0.0'),
      ]),
    ).toEqual({
      ok: true,
      provider: 'b:y',
      version: '1.10.1',
      explanation: 'b:y provides seo-analysis 1.10.1, the highest version in ^1; also in range: a:x (1.2.0).',
    })
  })

  it('refuses to choose between components of the same version', () => {
    expect(routeCapability('seo-analysis@^1', [provider('a:x', '1.2.0'), provider('b:y', '1.2.0')])).toEqual({
      ok: false,
      explanation: '2 components provide seo-analysis 1.2.0: a:x, b:y. Call one of them by its id.',
    })
  })

  it('explains when nothing fits: no provider, out of range, private', () => {
    expect(routeCapability('seo-analysis@^1', [])).toMatchObject({
      ok: false,
      explanation: expect.stringContaining('no installed component provides "seo-analysis"'),
    })
    expect(routeCapability('seo-analysis@^3', [provider('a:x', '2.0.0')])).toMatchObject({
      ok: false,
      explanation: expect.stringContaining('Providers: a:x (2.0.0). Widen the range'),
    })
    expect(routeCapability('seo-analysis@^1', [provider('a:x', '1.0.0', false)])).toMatchObject({
      ok: false,
      explanation: expect.stringContaining('a:x (1.0.0, private). The ones in range are private.'),
    })
    expect(routeCapability('seo-analysis@not-a-range', [])).toMatchObject({ ok: false })
  })
})

// Found by review: lists of thousands made the registry build take minutes, past SessionStart's timeout.
describe('capability lists a hostile plugin writes', () => {
  it("are refused past 100 entries, and the table is built from each capability's providers alone", async () => {
    const { buildRegistry } = await import('../../src/registry/index.ts')
    const { testdir } = await import('../helpers/testdir.ts')
    const { join } = await import('node:path')
    const list = (n: number, entry: (i: number) => string) =>
      `[${Array.from({ length: n }, (_, i) => entry(i)).join(', ')}]`
    const agent = (name: string, orchestration: string) =>
      `---\nname: ${name}\ndescription: ${name}.\norchestration:\n${orchestration}---\nWork.\n`
    const root = testdir({
      'big/.claude-plugin/plugin.json': JSON.stringify({ name: 'big' }),
      'big/agents/giver.md': agent('giver', `  provides: ${list(1300, (i) => `x@0.0.${i}`)}\n`),
      'big/agents/taker.md': agent('taker', `  calls: ${list(1300, (i) => `x@${i}.0`)}\n`),
      'big/agents/fine.md': agent('fine', `  provides: ${list(100, (i) => `y@1.${i}.0`)}\n  calls: ["y@^1.50"]\n`),
    })
    const registry = buildRegistry({
      cwd: root,
      env: { HOME: '/nonexistent' },
      installed: false,
      pluginDirs: [join(root, 'big')],
    })
    const problems = registry.diagnostics.filter((d) => d.message.includes('at most 100 entries'))
    expect(problems.map((d) => d.path).sort()).toEqual(['orchestration.calls', 'orchestration.provides'])
    expect(registry.capabilityCalls['y@^1.50']).toEqual(['big:fine'])
  })
})
