// docs/security.md's policy example cannot rot: it is a valid policy, and each of its rules does, over the
// example plugins, what a reader takes it to do (its allow rule once named a caller whose own `calls` list
// kept it out, found by a docs review).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decideCall, loadPolicy } from '../../src/guard/index.ts'
import { buildRegistry } from '../../src/registry/index.ts'
import { foldInvocations } from '../../src/trace/index.ts'
import { REPO } from '../helpers/cli.ts'
import { testdir } from '../helpers/testdir.ts'

const PAGE = readFileSync(join(REPO, 'docs', 'security.md'), 'utf8')
const section = PAGE.split('\n## The policy file\n')[1]!
const example = /^```json\n([\s\S]*?)^```$/m.exec(section)![1]!

describe('docs/security.md, the policy file', () => {
  it('shows a policy that loads, whose every rule applies to the example plugins as written', () => {
    const home = testdir({ '.claude/switchboard/policy.json': example })
    const policy = loadPolicy({ HOME: home }, join(home, 'project'))
    expect(policy.problems).toEqual([])
    const snapshot = buildRegistry({
      cwd: REPO,
      env: { HOME: '/nonexistent' },
      installed: false,
      pluginDirs: ['tdd-editor', 'tdd-design', 'tdd-tech', 'tdd-growth'].map((p) => join(REPO, 'examples', p)),
    })
    const components = snapshot.components.map((c) => c.id)
    const call = (callerType: string, target: string) =>
      decideCall({ callerType, callerInvocation: null, target, kind: 'agent' }, snapshot, policy, foldInvocations([]))
    const rules = JSON.parse(example).rules as Array<{ caller: string; target: string; action: string }>
    expect(rules.map((r) => r.action).sort()).toEqual(['allow', 'deny'])
    for (const rule of rules) {
      const caller = components.find((id) => id === rule.caller || id.startsWith(rule.caller.replace(/\*$/, '')))!
      const target = components.find((id) => id === rule.target || id.startsWith(`${rule.target}:`))!
      expect([caller, target], JSON.stringify(rule)).not.toContain(undefined)
      const decision = call(caller, target)
      expect(decision.allow, `${caller} -> ${target}: ${'reason' in decision ? decision.reason : ''}`).toBe(
        rule.action === 'allow',
      )
      // The allow rule is what lets it through: without the policy, the call is refused.
      if (rule.action === 'allow')
        expect(
          decideCall(
            { callerType: caller, callerInvocation: null, target, kind: 'agent' },
            snapshot,
            loadPolicy({ HOME: testdir() }, join(home, 'project')),
            foldInvocations([]),
          ).allow,
        ).toBe(false)
    }
  })
})
