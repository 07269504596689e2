// What the MCP server's `hook` tool makes of the fields Claude Code fills into the companion's templates
// (mcp/hook-tool.ts), where that differs from a hook process reading its stdin (found by review).
import { describe, expect, it } from 'vitest'
import { foldInvocations, readRecords } from '../../src/trace/index.ts'
import { hookSession, runHookSync } from '../helpers/hooks.ts'

const agentCall = (sessionId: string, cwd: string, toolUseId: string, toolInput: string) => ({
  hook_event_name: 'PreToolUse',
  session_id: sessionId,
  cwd,
  tool_name: 'Agent',
  tool_use_id: toolUseId,
  tool_input: toolInput, // as Claude Code fills it in: JSON text
})

describe("the hook tool's input", () => {
  // JSON.stringify recurses: written again outside the hook, such an input overflowed the stack, and the
  // error result let the call go on in strict mode.
  it('decides an input nested thousands deep as the hook does, closed in strict mode', () => {
    const { env, home, sessionId } = hookSession('deep-input')
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`
    const input = `{"subagent_type":"tdd-design:nobody","description":"d","prompt":"Draw.","x":${deep}}`
    const result = runHookSync('pre-tool-use', agentCall(sessionId, home, 'toolu_deep', input), {
      ...env,
      SWITCHBOARD_STRICT: '1',
    })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).hookSpecificOutput.permissionDecision).toBe('deny')
  })

  // An agent that ends with no text returns "": Claude Code fills in "" for it, as for an absent field.
  it("checks an agent's empty last message against its output contract", () => {
    const { env, home, sessionId, dir } = hookSession('empty-return')
    const call = agentCall(
      sessionId,
      home,
      'toolu_empty',
      JSON.stringify({ subagent_type: 'tdd-design:illustrator', description: 'd', prompt: 'Draw a kite.' }),
    )
    expect(runHookSync('pre-tool-use', call, env)).toMatchObject({ code: 0, stdout: '' })
    const stop = {
      hook_event_name: 'SubagentStop',
      session_id: sessionId,
      cwd: home,
      agent_id: 'a-illustrator',
      agent_type: 'tdd-design:illustrator',
      last_assistant_message: '',
    }
    expect(runHookSync('subagent', stop, env).code).toBe(0)
    const [invocation] = [...foldInvocations(readRecords(dir)).values()]
    expect(invocation).toMatchObject({ target: 'tdd-design:illustrator', status: 'failed' })
    expect(JSON.stringify(invocation)).toMatch(/contract/)
  })
})
