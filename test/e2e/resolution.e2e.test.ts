// A sample of generated spellings (test/helpers/spellings.ts) sent to the real Claude Code: for each,
// what Claude Code does (runs the agent, or refuses the name) agrees with what the guard's resolver
// says, and the trace records each run under the agent's real id.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { resolveTarget } from '../../src/guard/index.ts'
import { buildRegistry } from '../../src/registry/index.ts'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import { agentSpelling, brokenSpelling } from '../helpers/spellings.ts'
import { tracedInvocations } from '../helpers/trace.ts'
import { callAgent, runClaude, say } from '../harness/index.ts'
import { EXAMPLES } from '../helpers/plugins.ts'
import { toolResults } from '../helpers/conversation.ts'

const ID = 'tdd-design:illustrator'
const names = [
  ...fc.sample(agentSpelling(ID), { seed: 8, numRuns: 5 }),
  ...fc.sample(brokenSpelling(ID), { seed: 9, numRuns: 2 }),
]

describe.each(PINNED_VERSIONS)('name resolution on Claude Code %s', (version) => {
  it('runs exactly the spellings the resolver resolves, and traces them under the real id', async () => {
    const registry = buildRegistry({
      cwd: process.cwd(),
      env: { HOME: '/nonexistent' },
      installed: false,
      pluginDirs: EXAMPLES,
    })
    const expected = names.map((name) => resolveTarget(registry, name, 'agent').kind === 'component')
    expect(expected.filter(Boolean).length).toBeGreaterThan(0)
    expect(expected.filter((e) => !e).length).toBeGreaterThan(0)
    const run = await runClaude({
      version,
      prompt: 'Draw kites',
      plugins: EXAMPLES,
      scenario: {
        main: [{ calls: names.map((name) => callAgent(name, 'Draw a kite.')) }, say('Done.')],
        agents: { [ID]: [say('DRAWN')] },
      },
    })
    expect(run.exitCode).toBe(0)
    const ordered = toolResults(run, 'main')
    expect(ordered).toHaveLength(names.length)
    const ranByClaude = ordered.map((text) => !/not found/i.test(text))
    expect(ranByClaude).toEqual(expected)
    const traced = tracedInvocations(run).filter((i) => i.target === ID)
    expect(traced).toHaveLength(expected.filter(Boolean).length)
  })
})
