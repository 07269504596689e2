// The resolver against generated spellings: every spelling Claude Code would run as a plugin agent
// resolves to that agent, and what it would refuse does not. The same generator feeds a sample to the
// real Claude Code in test/e2e/resolution.e2e.test.ts.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { agentKey, findComponent, resolveTarget } from '../../src/guard/index.ts'
import type { Snapshot } from '../../src/guard/index.ts'
import type { Component } from '../../src/registry/index.ts'
import { agentSpelling, brokenSpelling } from '../helpers/spellings.ts'

const component = (id: string, kind: Component['kind'], aliases: string[] = []): Component => ({
  id,
  plugin: id.split(':')[0]!,
  kind,
  name: id.split(':').slice(1).join(':'),
  aliases,
  description: '',
  descriptionFrom: 'frontmatter',
  listed: true,
  invocable: true,
  tools: null,
  disallowedTools: [],
  model: null,
  argumentHint: null,
  forkAgent: null,
  file: `/p/${id}.md`,
  orchestration: null,
  callable: true,
})
const snapshot: Snapshot = {
  components: [
    component('loop-a:writer', 'agent'),
    component('tdd-design:illustrator', 'agent'),
    component('names:review:security', 'agent'),
    component('tdd-growth:seo', 'command'),
    component('names:writing-rules', 'skill', ['names:style-guide']),
  ],
  plugins: [],
  capabilityCalls: {},
  dependencies: { diagnostics: [], mismatches: [], cycles: [], loadOrder: [] },
}
const AGENTS = ['loop-a:writer', 'tdd-design:illustrator', 'names:review:security']
const resolvedId = (name: string, tool: 'agent' | 'skill') => {
  const resolved = resolveTarget(snapshot, name, tool)
  return resolved.kind === 'component' ? resolved.component.id : resolved.kind
}

describe('resolveTarget', () => {
  it('resolves every spelling Claude Code accepts for an agent (case, whitespace, dashes, _, NFKC look-alikes) to that agent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...AGENTS).chain((id) => fc.tuple(fc.constant(id), agentSpelling(id))),
        ([id, spelling]) => {
          expect(agentKey(spelling)).toBe(agentKey(id))
          expect(resolvedId(spelling, 'agent')).toBe(id)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('does not resolve spellings Claude Code refuses (zero-width and format characters, a dropped prefix)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...AGENTS).chain((id) => brokenSpelling(id)),
        (spelling) => {
          expect(resolvedId(spelling, 'agent')).not.toMatch(/:/)
        },
      ),
      { numRuns: 300 },
    )
    expect(resolvedId('writer', 'agent')).toBe('outside') // a bare name never reaches a plugin agent
    expect(resolvedId(' F-o_R k ', 'agent')).toBe('outside') // fork, however spelled
  })

  it('refuses an agent name two agents answer to, as Claude Code does', () => {
    const twins: Snapshot = { ...snapshot, components: [component('a-b:x', 'agent'), component('ab:x', 'agent')] }
    expect(resolveTarget(twins, 'A_B:X', 'agent')).toMatchObject({ kind: 'ambiguous' })
    // Claude Code takes an exact id first, where it loads that agent; where it does not (a file it skips that
    // the registry lists), the look-alike runs: the guard cannot tell which, so a spelling reads as ambiguous.
    expect(resolveTarget(twins, 'a-b:x', 'agent')).toMatchObject({ kind: 'ambiguous', exact: { id: 'a-b:x' } })
    // The id Claude Code resolved (the hooks module's agent.spawn) is that agent.
    expect(resolveTarget(twins, 'a-b:x', 'agent', true)).toMatchObject({
      kind: 'component',
      component: { id: 'a-b:x' },
    })
  })

  it('resolves skills as the Skill tool does: trimmed, one leading slash, case-sensitive, frontmatter names bare when unique', () => {
    expect(resolvedId('  tdd-growth:seo ', 'skill')).toBe('tdd-growth:seo')
    expect(resolvedId('/tdd-growth:seo', 'skill')).toBe('tdd-growth:seo')
    expect(resolvedId('TDD-growth:seo', 'skill')).toBe('unresolved')
    expect(resolvedId('seo', 'skill')).toBe('outside') // a command without a frontmatter name has no bare form
    expect(resolvedId('style-guide', 'skill')).toBe('names:writing-rules')
    expect(resolvedId('names:style-guide', 'skill')).toBe('names:writing-rules')
    const twins: Snapshot = {
      ...snapshot,
      components: [component('a:x', 'skill', ['a:guide']), component('b:y', 'skill', ['b:guide'])],
    }
    expect(resolveTarget(twins, 'guide', 'skill')).toMatchObject({ kind: 'ambiguous' })
  })

  // Found by probe (2.1.197, 2.1.331, 2.1.332): Claude Code runs a Skill call of a bare frontmatter name that
  // is the id's last part too, and one with spaces; the guard took both for no plugin's and let them through.
  it('resolves a bare frontmatter name that is the id itself, or holds spaces, to its component', () => {
    const named = (id: string, kind: Component['kind'], frontName: string, aliases: string[] = []) => ({
      ...component(id, kind, aliases),
      frontName,
    })
    const withNames: Snapshot = {
      ...snapshot,
      components: [
        named('vault:secret-rules', 'skill', 'secret-rules'),
        named('vault:deploy', 'command', 'deploy'),
        named('vault:sp', 'skill', 'my rules', ['vault:my rules']),
        component('vault:plain', 'skill'),
      ],
    }
    const id = (name: string) => {
      const resolved = resolveTarget(withNames, name, 'skill')
      return resolved.kind === 'component' ? resolved.component.id : resolved.kind
    }
    expect(id('secret-rules')).toBe('vault:secret-rules')
    expect(id(' /deploy ')).toBe('vault:deploy')
    expect(id('my rules')).toBe('vault:sp')
    expect(id('my\trules')).toBe('vault:sp') // 2.1.197 runs a name with a tab as written
    expect(id('vault:my rules')).toBe('vault:sp')
    expect(id('plain')).toBe('outside') // no frontmatter name: Claude Code asks "Did you mean vault:plain?"
    expect(id('Secret-Rules')).toBe('outside') // no case folding
  })

  // Found by review: the planner picks the tool by findComponent, which took the look-alike agent of another
  // plugin for a command's exact id, so a call meant for the command went to the hostile agent.
  it("finds a component by its exact id before another plugin's look-alike agent", () => {
    const lookAlike: Snapshot = {
      ...snapshot,
      components: [component('tddeditor:copyedit', 'agent'), component('tdd-editor:copy-edit', 'command')],
    }
    for (const name of ['tdd-editor:copy-edit', ' /tdd-editor:copy-edit ', '/tdd-editor:copy-edit'])
      expect(findComponent(lookAlike, name)?.id).toBe('tdd-editor:copy-edit')
    expect(findComponent(lookAlike, 'tddeditor:copyedit')?.id).toBe('tddeditor:copyedit')
    expect(findComponent(lookAlike, 'TDD_Editor:CopyEdit')?.id).toBe('tddeditor:copyedit') // no exact id: as the Agent tool
  })
})
