// The demo's stand-in model must play the example agents honestly: every tool call it scripts for an
// agent uses a tool that agent's `tools:` line gives it, and names what the agent's instructions tell
// it to call, with the slots they name. So an agent's instructions cannot drift from the demo (or the
// demo invent a call no instruction asks for) without this failing. The demo itself runs in
// test/e2e/demo.e2e.test.ts.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseFrontmatter } from '../src/manifest/index.ts'
import { buildRegistry } from '../src/registry/index.ts'
import { ORCHESTRATIONS } from '../scripts/demo/scenarios.ts'
import type { ToolCall, Turn } from './harness/index.ts'
import { EXAMPLES } from './helpers/plugins.ts'

const registry = buildRegistry({ cwd: '/', env: { HOME: '/nonexistent' }, installed: false, pluginDirs: EXAMPLES })
const agent = (id: string) => {
  const found = registry.components.find((c) => c.kind === 'agent' && c.id === id)
  if (!found) throw new Error(`no example agent ${id}`)
  return { tools: found.tools ?? [], body: parseFrontmatter(readFileSync(found.file, 'utf8')).body }
}
const callsOf = (turns: Turn[]): ToolCall[] =>
  turns.flatMap((t) => ('call' in t ? [t.call] : 'calls' in t ? t.calls : []))

/** What a call names that the instructions must name too: its target, the slot it fills, the slot it stores. */
function named(call: ToolCall): string[] {
  const input = call.input as {
    subagent_type?: string
    prompt?: string
    target?: string
    into?: string
    skill?: string
    name?: string
  }
  if (call.tool === 'Agent')
    return [
      input.subagent_type!,
      ...[...(input.prompt ?? '').matchAll(/\[\[switchboard into=(\w+)\]\]/g)].map((m) => m[1]!),
    ]
  if (call.tool === 'SwitchboardInvoke') return [input.target!, input.into!]
  if (call.tool === 'Skill') return [input.skill!]
  if (call.tool.endsWith('__context_put')) return [input.name!]
  if (call.tool.endsWith('__plan_call')) return [input.target!, input.into!]
  throw new Error(`the demo scripts a ${call.tool} call; teach this test what it must match`)
}

describe.each(
  ORCHESTRATIONS.flatMap((o) => (['module', 'settings'] as const).map((runtime) => [o.id, runtime, o] as const)),
)('the demo scenario %s (%s mode)', (_, runtime, orchestration) => {
  const scenario = orchestration.scenario(runtime)
  const scripted = Object.entries(scenario.agents ?? {}).map(
    ([id, script]) => [id, callsOf(Array.isArray(script) ? script : script.turns)] as const,
  )

  it('scripts only calls an agent has the tool for and its instructions name', () => {
    for (const [id, calls] of scripted) {
      const { tools, body } = agent(id)
      for (const call of calls) {
        expect(tools, `${id} is scripted to call ${call.tool}`).toContain(call.tool)
        for (const word of named(call))
          expect(body, `${id}'s instructions do not name "${word}" (${call.tool})`).toContain(word)
      }
    }
  })

  it('uses the invoke tool exactly where the hooks module runs', () => {
    const invokes = scripted.flatMap(([, calls]) => calls).filter((c) => c.tool === 'SwitchboardInvoke')
    if (runtime === 'module') expect(invokes.length).toBeGreaterThan(0)
    else expect(invokes).toEqual([])
  })
})

it('the check above fails on a call the instructions do not name', () => {
  const { body } = agent('tdd-editor:editor')
  expect(
    named({ tool: 'SwitchboardInvoke', input: { target: 'tdd-growth:summarizer', into: 'illustration' } }).every((w) =>
      body.includes(w),
    ),
  ).toBe(false)
})
