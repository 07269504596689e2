import { describe, expect, it } from 'vitest'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import { expectedRuntime } from '../helpers/trace.ts'
import { DEFAULT_TOOLS, runClaude, say, SEARCH_TURN } from '../harness/index.ts'
import { EXAMPLES } from '../helpers/plugins.ts'

const TOOL = (name: string) => `mcp__plugin_switchboard_switchboard__${name}`

describe.each(PINNED_VERSIONS)('the MCP server on Claude Code %s', (version) => {
  it('is started from the plugin and answers registry, plan and context calls', async () => {
    const run = await runClaude({
      version,
      prompt: 'Find an illustrator and plan a call',
      plugins: EXAMPLES,
      allowedTools: [...DEFAULT_TOOLS, ...['registry_search', 'plan_call', 'context_put', 'context_get'].map(TOOL)],
      scenario: {
        main: [
          { call: { tool: TOOL('registry_search'), input: { capability: 'illustration' } } },
          { call: { tool: TOOL('context_put'), input: { name: 'brief', value: 'KITE-BRIEF-99: a kite over a bay' } } },
          {
            call: {
              tool: TOOL('plan_call'),
              input: { target: 'illustration@^1', args: { content: '$brief' }, into: 'picture' },
            },
          },
          { call: { tool: TOOL('context_get'), input: { name: 'brief' } } },
          say('Planned.'),
        ],
      },
    })
    expect(run.exitCode).toBe(0)
    // Where the module runs, the server is held out of the session's start, and joins at the model's
    // ToolSearch (the stand-in model searches for a deferred tool before calling it, as a model must).
    const moduleMode = expectedRuntime(version) === 'module'
    expect(run.init?.mcp_servers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'plugin:switchboard:switchboard',
          status: moduleMode ? 'disabled' : 'connected',
        }),
      ]),
    )
    if (moduleMode) expect(run.requests.filter((r) => r.turn === SEARCH_TURN).length).toBeGreaterThan(0)
    const sent = run.textSentTo('main')
    expect(sent).toContain(
      'tdd-design:illustrator (agent; provides illustration@1.1.0): Draws a simple SVG illustration',
    )
    expect(sent).toContain('Stored brief (text, 32 chars). Reference it as $brief in a call.')
    expect(sent).toContain(
      'Switchboard routed the request: tdd-design:illustrator is the only provider of illustration@^1 (1.1.0).\nSwitchboard plan: call tdd-design:illustrator (agent) with the Agent tool.',
    )
    expect(sent).toContain('"prompt": "content: $brief\\n[[switchboard into=picture]]"')
    expect(sent.match(/KITE-BRIEF-99: a kite over a bay/g)?.length).toBeGreaterThanOrEqual(2) // the put's input and the get's result
  })
})

describe.each(PINNED_VERSIONS)('the orchestrate skill on Claude Code %s', (version) => {
  it('is offered to the model and loads for a plugin agent that has no Bash', async () => {
    const run = await runClaude({
      version,
      prompt: 'Distribute my article',
      plugins: EXAMPLES,
      scenario: {
        main: [
          {
            call: {
              tool: 'Agent',
              input: {
                description: 'distribute',
                prompt: 'Distribute the kite article.',
                subagent_type: 'tdd-growth:distributor',
              },
            },
          },
          say('Done.'),
        ],
        agents: {
          'tdd-growth:distributor': [
            { call: { tool: 'Skill', input: { skill: 'switchboard:orchestrate', args: '' } } },
            say('{"article": "DISTRIBUTED", "brief": {}}'),
          ],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(run.textSentTo('main')).toContain('- switchboard:orchestrate: Call another plugin')
    const distributor = run.requests.filter((r) => r.conversation === 'tdd-growth:distributor')
    expect(distributor[0]?.tools).not.toContain('Bash')
    expect(run.textSentTo('tdd-growth:distributor')).toContain('# Calling other plugins with Switchboard')
    // ...and has the tools the skill teaches (its tools: line), the invoke tool only where the module registers it.
    const offered = distributor[0]?.tools ?? []
    for (const tool of ['registry_search', 'describe', 'plan_call', 'context_put', 'context_get'])
      expect(offered, tool).toContain(`mcp__plugin_switchboard_switchboard__${tool}`)
    expect(offered.includes('SwitchboardInvoke')).toBe(expectedRuntime(version) === 'module')
  })
})
