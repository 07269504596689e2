// Every denial the guard makes, end to end on every pinned Claude Code version: the model that made
// the call reads a reason naming the problem and the fix, and the trace records the denial.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import type { PinnedVersion } from '../helpers/claude.ts'
import { edges, expectedRuntime, tracedInvocations } from '../helpers/trace.ts'
import { callAgent, runClaude, say, SWITCHBOARD_ROOT } from '../harness/index.ts'
import type { Scenario } from '../harness/index.ts'
import { EXAMPLES } from '../helpers/plugins.ts'

/** A project folder whose .claude/switchboard/policy.json holds the given policy. */
function projectWithPolicy(policy: object): string {
  const project = mkdtempSync(join(tmpdir(), 'switchboard-policy-'))
  mkdirSync(join(project, '.claude', 'switchboard'), { recursive: true })
  writeFileSync(join(project, '.claude', 'switchboard', 'policy.json'), JSON.stringify(policy))
  return project
}

/** main -> tech-writer -> editor -> <third call by the editor>. */
function chain(third: ReturnType<typeof callAgent>): Scenario {
  return {
    main: [{ call: callAgent('tdd-tech:tech-writer', 'Write about kites.') }, say('Done.')],
    agents: {
      'tdd-tech:tech-writer': [{ call: callAgent('tdd-editor:editor', 'Edit: kites.') }, say('WRITER DONE')],
      'tdd-editor:editor': [{ call: third }, say('EDITOR DONE')],
      'tdd-design:illustrator': [say('{"svg": "<svg/>", "alt": "kite"}')],
    },
  }
}

async function deniedReason(
  version: PinnedVersion,
  options: { scenario: Scenario; policy?: object; plugins?: string[]; deniedIn: string },
) {
  const run = await runClaude({
    version,
    prompt: 'Go',
    plugins: options.plugins ?? EXAMPLES,
    scenario: options.scenario,
    ...(options.policy ? { cwd: projectWithPolicy(options.policy) } : {}),
  })
  expect(run.exitCode).toBe(0)
  const denied = tracedInvocations(run).filter((i) => i.status === 'denied')
  expect(denied, `trace: ${edges(tracedInvocations(run)).join('; ')}`).toHaveLength(1)
  expect(run.textSentTo(options.deniedIn)).toContain(`Switchboard: ${denied[0]!.reason}`)
  return denied[0]!.reason
}

describe.each(PINNED_VERSIONS)('denials on Claude Code %s', (version) => {
  it('denies past the maximum depth', async () => {
    const reason = await deniedReason(version, {
      scenario: chain(callAgent('tdd-design:illustrator', 'Draw.')),
      policy: { limits: { maxDepth: 2 } },
      deniedIn: 'tdd-editor:editor',
    })
    expect(reason).toBe(
      'depth: this call would be 3 levels deep (tdd-tech:tech-writer -> tdd-editor:editor -> tdd-design:illustrator), over the limit of 2. Do the work at this level, or raise limits.maxDepth in the Switchboard policy (docs/security.md).',
    )
  })

  it('denies past the maximum number of calls per chain', async () => {
    const reason = await deniedReason(version, {
      scenario: chain(callAgent('tdd-design:illustrator', 'Draw.')),
      policy: { limits: { maxCallsPerChain: 2 } },
      deniedIn: 'tdd-editor:editor',
    })
    expect(reason).toBe(
      'budget: the chain started by tdd-tech:tech-writer has made 2 calls, the most one chain may make. Finish with what you have, or raise limits.maxCallsPerChain in the Switchboard policy (docs/security.md).',
    )
  })

  it('denies a private component called from another plugin', async () => {
    const reason = await deniedReason(version, {
      scenario: chain(callAgent('tdd-design:palette', 'Pick colours.')),
      deniedIn: 'tdd-editor:editor',
    })
    expect(reason).toBe(
      'private: tdd-design:palette is private to plugin "tdd-design"; tdd-editor:editor (plugin "tdd-editor") may not call it. Call a component marked callable, or add an allow rule for this caller in the Switchboard policy.',
    )
  })

  it('denies what a policy rule denies', async () => {
    const reason = await deniedReason(version, {
      scenario: chain(callAgent('tdd-design:illustrator', 'Draw.')),
      policy: { rules: [{ caller: 'tdd-tech:*', target: 'tdd-editor', action: 'deny' }] },
      deniedIn: 'tdd-tech:tech-writer',
    })
    expect(reason).toMatch(
      /^policy: a rule in .*\.claude\/switchboard\/policy\.json denies tdd-tech:\* -> tdd-editor \(tdd-tech:tech-writer -> tdd-editor:editor\)\. Change the rule to allow this call\.$/,
    )
  })

  it('denies a missing target, listing what the plugin has', async () => {
    if (expectedRuntime(version) === 'module') {
      // Claude Code refuses a name it cannot resolve before any agent.spawn: the module never sees it.
      const run = await runClaude({
        version,
        prompt: 'Go',
        plugins: EXAMPLES,
        scenario: chain(callAgent('tdd-design:sketcher', 'Sketch.')),
      })
      expect(run.textSentTo('tdd-editor:editor')).toContain("Agent type 'tdd-design:sketcher' not found")
      expect(tracedInvocations(run).filter((i) => i.status === 'denied')).toEqual([])
      return
    }
    const reason = await deniedReason(version, {
      scenario: chain(callAgent('tdd-design:sketcher', 'Sketch.')),
      deniedIn: 'tdd-editor:editor',
    })
    expect(reason).toBe(
      'missing: plugin "tdd-design" has no agent "tdd-design:sketcher". It has: tdd-design:illustrator, tdd-design:palette.',
    )
  })

  it("denies a target outside the caller's declared version range, with the fix", async () => {
    const reason = await deniedReason(version, {
      plugins: [...EXAMPLES, join(SWITCHBOARD_ROOT, 'test', 'fixtures', 'plugins', 'tdd-pinned')],
      scenario: {
        main: [{ call: callAgent('tdd-pinned:caller', 'Get artwork.') }, say('Done.')],
        agents: { 'tdd-pinned:caller': [{ call: callAgent('tdd-design:illustrator', 'Draw.') }, say('CALLER DONE')] },
      },
      deniedIn: 'tdd-pinned:caller',
    })
    expect(reason).toBe(
      'version: plugin "tdd-pinned" needs tdd-design@^2.0.0 but tdd-design 1.1.0 is installed. Update tdd-design (claude plugin update tdd-design) or relax the range.',
    )
  })
})
