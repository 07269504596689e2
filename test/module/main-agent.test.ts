// Whose calls the main thread makes: the person's, unless it runs as a plugin's agent. Claude Code says
// which (`$.session.info().agentType`: --agent or any settings tier's `agent`); the end-to-end tests run it
// (attacks.e2e, "a main thread the project's settings run as a plugin's agent").
import { describe, expect, it } from 'vitest'
import type { Engine } from '../../src/module/mod-api.ts'
import { openSession } from '../../src/module/session-state.ts'
import { memoryEngine } from '../helpers/module-handlers.ts'

const PROJECT = '/work/project'
const projectSetting = (agent: string) => new Map([[`${PROJECT}/.claude/settings.json`, JSON.stringify({ agent })]])

function withInfo($: Engine, info: Engine['session']['info']): Engine {
  return { ...$, session: { ...$.session, info } }
}

describe('the main thread run as an agent', () => {
  it("is the agent Claude Code names, wherever it was set (here, a project's setting it resolved)", async () => {
    const $ = withInfo(memoryEngine(new Map(), { HOME: '/home/me' }), async () => ({
      agentType: 'tdd-tech:tech-writer',
    }))
    expect((await openSession($, PROJECT)).mainAgent).toBe('tdd-tech:tech-writer')
  })

  it("is the person where Claude Code names a user's or built-in agent (no plugin), or none", async () => {
    for (const agentType of ['code-reviewer', 'general-purpose', undefined]) {
      // The project's file names a plugin agent, but Claude Code's answer is what runs.
      const $ = withInfo(memoryEngine(projectSetting('tdd-tech:tech-writer'), { HOME: '/home/me' }), async () =>
        agentType ? { agentType } : {},
      )
      expect((await openSession($, PROJECT)).mainAgent).toBeUndefined()
    }
  })

  it("falls back to the project's settings where Claude Code cannot say (a repository's agent never passes for the person)", async () => {
    const files = projectSetting('tdd-tech:tech-writer')
    const $ = withInfo(memoryEngine(files, { HOME: '/home/me' }), async () => {
      throw new Error('session.info is not available')
    })
    expect((await openSession($, PROJECT)).mainAgent).toBe('tdd-tech:tech-writer')
  })
})
