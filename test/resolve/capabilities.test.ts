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
