// What the PreToolUse hook does when the user's setup is broken, answered by a real MCP server process: an unreadable
// policy file denies cross-plugin calls (fail closed, naming the file), and a data folder it cannot
// write is said at once (which folder, what error, the fix) in the hook's documented failure mode.
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PLUGIN, REPO } from '../helpers/cli.ts'
import { hookServer, runHookSync } from '../helpers/hooks.ts'
import { testdir } from '../helpers/testdir.ts'

const PLUGIN_DIRS = ['tdd-editor', 'tdd-design'].map((p) => join(REPO, 'examples', p)).join(':')
const call = (cwd: string) => ({
  session_id: 'broken',
  cwd,
  hook_event_name: 'PreToolUse',
  tool_name: 'Agent',
  tool_use_id: 'toolu_1',
  tool_input: { description: 'd', prompt: 'p', subagent_type: 'tdd-editor:editor' },
})

describe('PreToolUse with a broken setup', () => {
  it('denies cross-plugin calls while the user policy is a dangling symbolic link', () => {
    const home = testdir()
    mkdirSync(join(home, '.claude', 'switchboard'), { recursive: true })
    symlinkSync(join(home, 'moved-away.json'), join(home, '.claude', 'switchboard', 'policy.json'))
    const env = { HOME: home, SWITCHBOARD_DATA_DIR: join(home, 'data'), SWITCHBOARD_PLUGIN_DIRS: PLUGIN_DIRS }
    expect(
      runHookSync(
        'session-start',
        { session_id: 'broken', cwd: home, hook_event_name: 'SessionStart', source: 'startup' },
        env,
      ).code,
    ).toBe(0)
    const result = runHookSync('pre-tool-use', call(home), env)
    expect(result.code).toBe(0)
    const reason = JSON.parse(result.stdout).hookSpecificOutput.permissionDecisionReason as string
    expect(reason).toContain(`Switchboard: policy: `)
    expect(reason).toContain(join(home, '.claude', 'switchboard', 'policy.json'))
    expect(reason).toMatch(/moved-away\.json.*does not exist.*(Point|remove)/)
  })

  // Tests run as root here, where chmod 0500 does not stop a write; a data folder under a regular
  // file cannot be created by anyone (mkdir fails with ENOTDIR), which the hook meets the same way.
  // Failing open is an error result (Claude Code reports it and the call goes on); failing closed, which an
  // mcp_tool hook cannot say with an exit code, is a deny whose reason is that line (mcp/hook-tool.ts).
  it.each([
    ['open (an error result) by default', {}],
    ['closed (a deny) in strict mode', { SWITCHBOARD_STRICT: '1' }],
  ])('says which data folder it cannot write, why and the fix, and fails %s', (_, extra) => {
    const home = testdir({ 'not-a-folder': 'x' })
    const data = join(home, 'not-a-folder', 'data')
    const result = runHookSync('pre-tool-use', call(home), {
      HOME: home,
      SWITCHBOARD_DATA_DIR: data,
      SWITCHBOARD_PLUGIN_DIRS: PLUGIN_DIRS,
      ...extra,
    })
    const strict = 'SWITCHBOARD_STRICT' in extra
    expect(result.code).toBe(strict ? 0 : 1)
    const line = strict ? JSON.parse(result.stdout).hookSpecificOutput.permissionDecisionReason : result.stderr
    if (strict) expect(JSON.parse(result.stdout).hookSpecificOutput.permissionDecision).toBe('deny')
    else expect(result.stdout).toBe('')
    expect(line.trim().split('\n')).toHaveLength(1)
    expect(line).toMatch(/^switchboard pre-tool-use: /)
    expect(line).toContain(data)
    expect(line).toMatch(/ENOTDIR.*SWITCHBOARD_DATA_DIR/)
    expect(line).not.toMatch(/bug/)
  })
})

// Found by review: the snapshot's write wrapped the refusal in an error of ours, and the hook called it a bug.
describe('SessionStart with a data folder it cannot write', () => {
  it('says which folder and the fix, failing open, and never calls it a bug', () => {
    const home = testdir({ 'not-a-folder': 'x' })
    const result = runHookSync(
      'session-start',
      { session_id: 'broken', cwd: home, hook_event_name: 'SessionStart', source: 'startup' },
      { HOME: home, SWITCHBOARD_DATA_DIR: join(home, 'not-a-folder', 'data') },
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/ENOTDIR.*SWITCHBOARD_DATA_DIR/)
    expect(result.stderr).not.toMatch(/bug/)
  })
})

describe('the recording hooks with a data folder they cannot write', () => {
  // (PostToolUse writes only about a call the guard recorded, which an unwritable folder cannot hold.)
  it.each([
    [
      'subagent',
      {
        hook_event_name: 'SubagentStop',
        agent_id: 'a1',
        agent_type: 'tdd-editor:editor',
        last_assistant_message: 'EDITED',
      },
    ],
  ])('%s says what it cannot write and the fix, failing open, and never calls it a bug', (hook, input) => {
    const home = testdir({ 'not-a-folder': 'x' })
    const data = join(home, 'not-a-folder', 'data')
    const result = runHookSync(
      hook,
      { session_id: 'broken', cwd: home, ...input },
      { HOME: home, SWITCHBOARD_DATA_DIR: data },
    )
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/ENOTDIR.*SWITCHBOARD_DATA_DIR/)
    expect(result.stderr).not.toMatch(/bug/)
  })
})

// A damaged install: the hooks' bundle in the server fails to load. That hook fails open (an error result), and
// the next one loads it again, which Node does only under a new URL once a module failed to parse.
describe('the hooks bundle of the MCP server, damaged and then repaired', () => {
  /** A server over a copy of plugin/mcp whose hooks bundle is cut off, as a full disk would leave it. */
  function damagedServer(env: Record<string, string> = {}) {
    const home = testdir()
    const mcp = join(home, 'mcp')
    cpSync(join(PLUGIN, 'mcp'), mcp, { recursive: true })
    writeFileSync(join(mcp, 'hooks.mjs'), 'export const hookTool = (')
    const server = hookServer({ HOME: home, SWITCHBOARD_DATA_DIR: join(home, 'data'), ...env }, join(mcp, 'server.mjs'))
    const repair = () => cpSync(join(PLUGIN, 'mcp', 'hooks.mjs'), join(mcp, 'hooks.mjs'))
    return { ...server, home, repair }
  }
  const DAMAGED =
    /^Switchboard's hooks bundle \(mcp\/hooks.mjs\) did not load, so this call was not checked: the install is damaged\. Reinstall/

  it('fails the hook open, and the next hook loads the repaired bundle in the same server', async () => {
    const server = damagedServer()
    const stop = {
      hook_event_name: 'SubagentStop',
      session_id: 's',
      cwd: server.home,
      agent_id: 'a1',
      agent_type: 'x:y',
    }
    try {
      const damaged = await server.ask({ ...stop, last_assistant_message: 'one' })
      expect(damaged.code).toBe(1) // an error result: the call goes on
      expect(damaged.stderr).toMatch(DAMAGED)
      server.repair()
      expect(await server.ask({ ...stop, last_assistant_message: 'two' })).toEqual({ code: 0, stdout: '', stderr: '' })
    } finally {
      server.stop()
    }
  })

  it('denies a call it cannot check where SWITCHBOARD_STRICT=1', async () => {
    const server = damagedServer({ SWITCHBOARD_STRICT: '1' })
    try {
      const answer = await server.ask(call(server.home))
      expect(answer.code).toBe(0)
      expect(JSON.parse(answer.stdout).hookSpecificOutput).toMatchObject({
        permissionDecision: 'deny',
        permissionDecisionReason: expect.stringMatching(DAMAGED),
      })
    } finally {
      server.stop()
    }
  })
})

// The model's tools run on a thread of their own (mcp/tools-thread.ts): a tools bundle that does not load
// fails that call and ends the thread, and the next call's thread loads the repaired bundle.
describe('the tools bundle of the MCP server, damaged and then repaired', () => {
  it('answers the call with an error, keeps answering hooks, and loads the repaired bundle at the next call', async () => {
    const home = testdir()
    const mcp = join(home, 'mcp')
    cpSync(join(PLUGIN, 'mcp'), mcp, { recursive: true })
    writeFileSync(join(mcp, 'tools.mjs'), 'export const callTool = (')
    const server = hookServer({ HOME: home, SWITCHBOARD_DATA_DIR: join(home, 'data') }, join(mcp, 'server.mjs'))
    try {
      expect(await server.tool('context_list', {})).toMatch(
        /^Switchboard's context_list failed: its tools bundle \(mcp\/tools.mjs\) did not load \(.+\): the install is damaged\. Reinstall Switchboard .*\.$/,
      )
      const stop = { hook_event_name: 'SubagentStop', session_id: 's', cwd: home, agent_id: 'a1', agent_type: 'x:y' }
      expect(await server.ask({ ...stop, last_assistant_message: 'one' })).toEqual({ code: 0, stdout: '', stderr: '' })
      cpSync(join(PLUGIN, 'mcp', 'tools.mjs'), join(mcp, 'tools.mjs'))
      expect(await server.tool('context_list', {})).toMatch(/No Switchboard session found yet/)
    } finally {
      server.stop()
    }
  })
})
