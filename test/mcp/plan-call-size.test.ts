// plan_call's answer is what a model follows in settings mode: past about 50,000 characters Claude Code saves a
// tool's answer to a file and shows a 2 KB preview, and a newcomer's 60,000-character value made a plan no model
// could follow (2.1.197). A plan that long is refused, saying how to pass the value instead.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { planCallTool } from '../../src/mcp/tools.ts'
import { recordSessionProcess } from '../../src/trace/index.ts'
import { hookSession } from '../helpers/hooks.ts'

describe('plan_call with a long value', () => {
  it('refuses a plan too long to reach the model whole, and plans the same value passed by file', async () => {
    const s = hookSession('plan-call-size')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
    const long = 'Kites ride the wind. '.repeat(3_000) // 63,000 characters
    const inline = await planCallTool(environment, { target: 'tdd-design:illustrator', args: { content: long } })
    expect(inline).toMatch(
      /^Switchboard cannot make this call: the planned call is \d+ characters, over the 48000 a tool's answer carries to you whole\. Store the large value in a slot first/,
    )
    const short = await planCallTool(environment, { target: 'tdd-design:illustrator', args: { content: 'Kites' } })
    expect(short).toContain('Switchboard plan: call tdd-design:illustrator')
    writeFileSync(join(s.home, 'long.md'), long)
    const byFile = await planCallTool(environment, { target: 'tdd-design:illustrator', args: { content: '@long.md' } })
    expect(byFile).toContain('Switchboard plan: call tdd-design:illustrator')
    expect(byFile.length).toBeLessThan(48_000)
  })
})
