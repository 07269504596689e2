// Found by review: a forked command or skill runs in the agent its `agent:` names, which may be another
// plugin's; a secret shared only with the command's plugin reached that other plugin's agent.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Slot } from '../../src/context/core.ts'
import { findComponent, planInjection } from '../../src/guard/index.ts'
import { buildRegistry } from '../../src/registry/index.ts'
import { REPO } from '../helpers/cli.ts'

const registry = buildRegistry({
  cwd: REPO,
  env: { HOME: '/nonexistent' },
  installed: false,
  pluginDirs: ['docs-lender', 'docs-review'].map((p) => join(REPO, 'test', 'fixtures', 'plugins', p)),
})
const secret = (shareWith: string[]): Slot => ({
  name: 'API_KEY',
  type: 'text',
  value: 'SK-LIVE-123456',
  writer: 'cli',
  ts: 1,
  secret: true,
  shareWith,
})
const inject = (slot: Slot, runsAs?: string, caller = 'main') =>
  planInjection({
    invocation: 'toolu_1',
    caller,
    chain: caller === 'main' ? ['main'] : ['main', caller],
    component: findComponent(registry, 'docs-lender:lint-anything')!,
    ...(runsAs ? { runsAs } : {}),
    toolInput: { skill: 'docs-lender:lint-anything', args: 'the page, with $API_KEY' },
    slot: (name) => (name === slot.name ? slot : undefined),
    slotNames: () => [slot.name],
    filesDir: '/nonexistent/files',
  })

describe('a secret sent to a forked skill', () => {
  it('goes only where the agent it runs in may read it too', () => {
    for (const runsAs of ['docs-review:linter', undefined]) {
      const refused = inject(secret(['docs-lender']), runsAs)
      expect(refused).toEqual({
        kind: 'deny',
        reason: expect.stringContaining(
          'context: $API_KEY is secret and may not be sent to plugin "docs-review" (docs-lender:lint-anything runs in its agent docs-review:linter)',
        ),
      })
      expect(inject(secret(['docs-lender', 'docs-review']), runsAs).kind).toBe('rewrite')
      expect(inject(secret(['docs-review']), runsAs)).toMatchObject({ kind: 'deny' })
    }
  })
})

// Found by review: a plugin may be named with a full-width colon (`docs-lender：evil`), which NFKC turns into
// `docs-lender:evil`; its agents were taken for plugin docs-lender's, in the audience of its secrets.
describe('a secret and a plugin whose name folds into another plugin and a name', () => {
  it("is not sent on at the request of that plugin's agent, nor into it as the agent a skill runs in", () => {
    const shared = secret(['docs-lender', 'docs-review'])
    expect(inject(shared, undefined, 'docs-lender:helper').kind).toBe('rewrite')
    expect(inject(shared, undefined, 'docs-lender\uff1aevil:spy')).toMatchObject({
      kind: 'deny',
      reason: expect.stringContaining('is secret and not shared with docs-lender\uff1aevil:spy'),
    })
    expect(inject(shared, 'docs-lender\uff1aevil:spy')).toMatchObject({
      kind: 'deny',
      reason: expect.stringContaining('may not be sent to plugin "docs-lender\uff1aevil"'),
    })
  })
})
