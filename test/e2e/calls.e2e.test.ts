import { describe, expect, it } from 'vitest'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import { expectedRuntime } from '../helpers/trace.ts'
import { callAgent, runClaude, say } from '../harness/index.ts'
import type { ClaudeRun } from '../harness/index.ts'
import { EXAMPLE } from '../helpers/plugins.ts'

/** The conversations the stand-in model saw, in order: a readable failure message when a call is missing. */
function conversations(run: ClaudeRun): string {
  return run.requests.map((r) => `${r.conversation}#${r.turn}`).join(' ')
}

describe.each(PINNED_VERSIONS)('Claude Code %s', (version) => {
  it('loads switchboard and gives the model its SessionStart summary', async () => {
    const run = await runClaude({
      version,
      prompt: 'What can I call?',
      plugins: [EXAMPLE('tdd-editor'), EXAMPLE('tdd-design')],
      scenario: { main: [say('Here is what you can call.')] },
    })
    expect(run.exitCode).toBe(0)
    expect(((run.init?.plugins ?? []) as Array<{ name: string }>).map((p) => p.name)).toEqual(
      expect.arrayContaining(['switchboard', 'tdd-editor', 'tdd-design']),
    )
    const sessionStart = run.hookEvents.find((e) => e.subtype === 'hook_response' && e.hook_event === 'SessionStart')
    expect(sessionStart).toMatchObject({ exit_code: 0, outcome: 'success' })
    expect(run.textSentTo('main')).toContain(
      'Switchboard: 3 components of 2 plugins can be called across plugins.\nAgents (Agent tool, subagent_type): tdd-design:illustrator, tdd-editor:editor.\nCommands and skills (Skill tool, skill): tdd-editor:copy-edit.',
    )
    expect(run.init?.slash_commands).toEqual(expect.arrayContaining(['switchboard:plugins']))
  })

  it('lets the main thread call a plugin agent through the Agent tool', async () => {
    const run = await runClaude({
      version,
      prompt: 'Please tighten my draft',
      plugins: [EXAMPLE('tdd-editor'), EXAMPLE('tdd-design')],
      scenario: {
        main: [
          {
            call: callAgent('tdd-editor:editor', 'Tighten this draft: "It is the case that we are going to ship it."'),
          },
          say('Your draft is edited.'),
        ],
        agents: { 'tdd-editor:editor': [say('EDITED: We ship it.')] },
      },
    })
    expect(run.exitCode).toBe(0)
    const editor = run.requests.find((r) => r.conversation === 'tdd-editor:editor')
    expect(editor, `no request from tdd-editor:editor; conversations: ${conversations(run)}`).toBeDefined()
    expect(editor?.system).toContain('You are a copy editor.')
    // Its tools: line; the invoke tool exists only where Switchboard's hooks module adds it (and, added at
    // tool.list rather than registered, it brings no DeferredToolPlaceholder along).
    expect([...(editor?.tools ?? [])].sort()).toEqual(
      expectedRuntime(version) === 'module' ? ['Agent', 'Read', 'SwitchboardInvoke'] : ['Agent', 'Read'],
    )
    expect(run.textSentTo('tdd-editor:editor')).toContain('It is the case that we are going to ship it.')
    // Foreground (2.1.197): the tool result; background (2.1.331): the completion notification.
    expect(run.textSentTo('main')).toContain('EDITED: We ship it.')
  })

  it('lets a plugin agent call another plugin agent (nested)', async () => {
    const run = await runClaude({
      version,
      prompt: 'Edit my post and illustrate it',
      plugins: [EXAMPLE('tdd-editor'), EXAMPLE('tdd-design')],
      scenario: {
        main: [
          { call: callAgent('tdd-editor:editor', 'Edit the post about solar kites and get an illustration.') },
          say('Done: edited and illustrated.'),
        ],
        agents: {
          'tdd-editor:editor': [
            { call: callAgent('tdd-design:illustrator', 'Illustrate: solar kites over a bay.') },
            say('EDITED POST with image: a kite at dawn'),
          ],
          'tdd-design:illustrator': [say('{"svg": "<svg viewBox=\\"0 0 640 360\\"/>", "alt": "a kite at dawn"}')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(conversations(run)).toMatch(/tdd-design:illustrator#0/)
    expect(run.textSentTo('tdd-design:illustrator')).toContain('Illustrate: solar kites over a bay.')
    // The editor received the illustrator's answer as its tool result, and the main thread the editor's.
    expect(run.textSentTo('tdd-editor:editor')).toContain('a kite at dawn')
    expect(run.textSentTo('main')).toContain('EDITED POST with image: a kite at dawn')
  })
})
