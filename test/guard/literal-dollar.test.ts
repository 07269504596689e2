// `$$` is a literal `$` in every call (docs/protocol.md). Found by a newcomer: `price is $$5` arrived as `$$5` in a
// call that named no slot, and as `$5` in one that also named `$draft`; `switchboard plan` writes a file's `$` as `$$`.
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
const draft: Slot = { name: 'draft', type: 'text', value: 'DRAFT', writer: 'cli', ts: 1 }
const inject = (args: string) =>
  planInjection({
    invocation: 'toolu_1',
    caller: 'main',
    chain: ['main'],
    component: findComponent(registry, 'docs-lender:lint-anything')!,
    toolInput: { skill: 'docs-lender:lint-anything', args },
    slot: (name) => (name === 'draft' ? draft : undefined),
    slotNames: () => ['draft'],
    filesDir: '/nonexistent/files',
  })

describe('a literal dollar sign in a call', () => {
  it('arrives as one $, whether or not the call names a slot', () => {
    expect(inject('price is $$5 (no refs)')).toEqual({
      kind: 'rewrite',
      toolInput: { skill: 'docs-lender:lint-anything', args: 'price is $5 (no refs)' },
      files: [],
    })
    const withSlot = inject('price is $$5 with $draft')
    expect(withSlot.kind).toBe('rewrite')
    expect(withSlot.kind === 'rewrite' && String(withSlot.toolInput.args)).toContain('price is $5 with')
  })

  it('leaves a call with nothing to change as it is: quoted `$$`, $HOME, a lone $', () => {
    for (const args of ['costs $5', 'echo $HOME', 'in code: `a $$ b`', '```\n$$x\n```', 'no dollar at all'])
      expect(inject(args)).toEqual({ kind: 'none' })
    // Outside the quoted span only.
    expect(inject('`$$` is $$').kind === 'rewrite' && inject('`$$` is $$')).toMatchObject({
      toolInput: { args: '`$$` is $' },
    })
  })
})
