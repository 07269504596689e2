// When the module's own guard throws (a bug of ours, a folder it cannot write), the call fails closed
// in strict mode and open otherwise, and in open mode its caller is told with the report that it ran
// unchecked: the handlers' .catch glue, driven in process with a `$` whose file system refuses everything.
import { describe, expect, it } from 'vitest'
import type { Engine } from '../../src/module/mod-api.ts'
import { dispatch, fsFailure, loadHandlers as load } from '../helpers/module-handlers.ts'

/**
 * A `$` whose file system refuses everything but says no policy file and no project settings exist (so nothing
 * says strict: a settings file that cannot be read refuses every call, policy-rules.ts),
 * and that cannot tell the session's id: the guard cannot even open the session, and throws. (A folder
 * it cannot write no longer makes it throw: a denial is decided before any write.)
 */
function engine(env: Record<string, string>): Engine {
  const refuse = async () => {
    throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })
  }
  return {
    fs: {
      read: async (path: string) => {
        if (/\/settings(\.local)?\.json$/.test(path)) throw fsFailure('read', path, 'ENOENT')
        return refuse()
      },
      write: refuse,
      list: refuse,
      exists: async (path: string) => (path.endsWith('/policy.json') ? false : refuse()),
      stat: async (path: string) => {
        if (path.endsWith('/policy.json')) throw fsFailure('stat', path, 'ENOENT')
        return refuse()
      },
    },
    env: { get: async (name: string) => env[name], set: async () => ({}) },
    session: { id: refuse },
    plugin: { name: 'switchboard', root: '/plugin' },
  } as unknown as Engine
}

const spawn = {
  tool_use_id: 'toolu_1',
  prompt: 'Edit: kites.',
  description: 'edit',
  subagentType: 'tdd-editor:editor',
  provider: { plugin: 'x@inline', tier: 'user' },
  background: false,
  fork: false,
}

describe('a guard that throws', () => {
  it('lets the call run outside strict mode, and tells its caller with the report that it ran unchecked', async () => {
    const handlers = load()
    const $ = engine({ SWITCHBOARD_DATA_DIR: '/unwritable' })
    const started = await dispatch(handlers.get('agent.spawn')!, $, spawn, { model: 'm', agentId: 'agent-1' })
    expect(started).toEqual({ result: { model: 'm', agentId: 'agent-1' }, nextCalls: 1 })
    const reported = await dispatch(
      handlers.get('agent.report')!,
      $,
      { agentId: 'agent-1', subagentType: 'tdd-editor:editor', status: 'completed', text: 'EDITED' },
      { text: 'EDITED' },
    )
    expect((reported.result as { text: string }).text).toMatch(
      /^EDITED\n\nSwitchboard: the guard failed on this call to tdd-editor:editor \(EACCES: permission denied\), so it ran unchecked/,
    )
  })

  it('refuses the call in strict mode, and never starts it', async () => {
    const handlers = load()
    const started = await dispatch(
      handlers.get('agent.spawn')!,
      engine({ SWITCHBOARD_DATA_DIR: '/unwritable', SWITCHBOARD_STRICT: '1' }),
      spawn,
      { model: 'm', agentId: 'agent-2' },
    )
    expect(started.nextCalls).toBe(0)
    expect(started.result).toEqual({
      deny: expect.stringMatching(
        /^Switchboard: the guard failed on this call \(EACCES: permission denied\), and strict mode refuses calls it cannot check/,
      ),
    })
  })

  it('refuses a Skill call in strict mode too', async () => {
    const handlers = load()
    const called = await dispatch(
      handlers.get('tool.call{"tool":"Skill"}')!,
      engine({ SWITCHBOARD_DATA_DIR: '/unwritable', SWITCHBOARD_STRICT: '1' }),
      { tool: 'Skill', tool_use_id: 't', skill: 'tdd-editor:proofread', args: '' },
      { result: 'ran' },
    )
    expect(called.nextCalls).toBe(0)
    expect(called.result).toEqual({ deny: expect.stringMatching(/strict mode refuses/) })
  })
})

describe('a SessionStart handler that fails', () => {
  it("leaves no ready flag behind, so the SessionStart hook does the session's start", async () => {
    const handlers = load()
    const set: Array<[string, string | undefined]> = []
    const $ = {
      ...engine({ HOME: '/home/u' }),
      env: {
        get: async () => undefined,
        set: async (name: string, value: string | undefined) => {
          set.push([name, value])
          if (name === 'SWITCHBOARD_RUNTIME') throw new Error('the engine refused the variable')
          return {}
        },
      },
    } as unknown as Engine
    const started = await dispatch(
      handlers.get('classic.SessionStart')!,
      $,
      { session_id: 's-1', cwd: '/work' },
      { additionalContext: ['from the hook'] },
    )
    expect(started).toEqual({ result: { additionalContext: ['from the hook'] }, nextCalls: 1 })
    expect(set.at(-1)).toEqual(['SWITCHBOARD_SESSION_READY', undefined])
  })
})
