// Settings mode's run_workflow over a second wave: the first wave's call is made through the hooks (PreToolUse
// and PostToolUse, as Claude Code runs them), the second is reused from its receipt and restored into its slot.
// Found by review: a slot made secret while the run went on made that restore throw out of every resume.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { putSlot } from '../../src/context/index.ts'
import { runWorkflowTool } from '../../src/mcp/run-workflow-tool.ts'
import { recordSessionProcess } from '../../src/trace/index.ts'
import { hookSession, runHookSync } from '../helpers/hooks.ts'

const WORKFLOW = `inputs: { text: text }
steps:
  - id: edit
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $inputs.text } }
    on_complete: { inject_into: edited }
  - id: proof
    invoke: { plugin: tdd-editor, agent: editor, args: { draft: $edited } }
    on_complete: { inject_into: proofed }
`

describe('run_workflow, a receipt restored into a slot made secret while the run went on', () => {
  it('stops the run, saying which step and slot, instead of throwing at every resume', async () => {
    const s = hookSession('run-workflow-restore')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    writeFileSync(join(s.home, 'two.yaml'), WORKFLOW)
    const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
    let calls = 0
    /** The handed-out Agent call made and answered, through the hooks. */
    const make = (call: { input: Record<string, unknown> }, text: string) => {
      const id = `toolu_${++calls}`
      const base = { session_id: s.sessionId, cwd: s.home, tool_name: 'Agent', tool_use_id: id }
      const pre = runHookSync('pre-tool-use', { ...base, hook_event_name: 'PreToolUse', tool_input: call.input }, s.env)
      expect(pre.code).toBe(0)
      const response = { status: 'completed', content: [{ type: 'text', text }] }
      const post = { ...base, hook_event_name: 'PostToolUse', tool_input: call.input, tool_response: response }
      expect(runHookSync('post-tool-use', post, s.env).code).toBe(0)
    }
    const tool = async (args: Record<string, unknown>) => JSON.parse(await runWorkflowTool(environment, args))
    // A first run: both steps made, both receipts written.
    let answer = await tool({ line: 'two.yaml text=Kites.' })
    make(answer.calls[0], 'Kites, edited.')
    answer = await tool({ run: answer.run })
    make(answer.calls[0], 'Kites, proofed.')
    expect(await tool({ run: answer.run })).toMatchObject({ status: 'ok' })
    // A second run with other input: edit runs again, and while it does, the slot proof restores into turns secret.
    answer = await tool({ line: 'two.yaml text=Kites.', fresh: false })
    expect(answer).toMatchObject({ status: 'ok' }) // both reused from their receipts
    answer = await tool({ line: 'two.yaml text=Kites!' })
    expect(answer.steps).toEqual(['edit'])
    putSlot(s.dir, { name: 'proofed', type: 'text', value: 'SECRET', writer: 'cli', secret: true })
    make(answer.calls[0], 'Kites, edited.') // the same edit: proof's receipt holds
    const stopped = await tool({ run: answer.run })
    expect(stopped).toMatchObject({ status: 'failed' })
    expect(stopped.message).toContain(`step proof's receipt was not restored into slot "proofed"`)
  })
})
