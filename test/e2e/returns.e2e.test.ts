// Captured returns hold what the agent said, without Claude Code's framing, on every pinned version.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { getSlot } from '../../src/context/index.ts'
import { sessionDir } from '../../src/trace/index.ts'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import { callAgent, runClaude, say, SWITCHBOARD_ROOT } from '../harness/index.ts'

const PLUGINS = [
  ...['tdd-tech', 'tdd-design'].map((name) => join(SWITCHBOARD_ROOT, 'examples', name)),
  join(SWITCHBOARD_ROOT, 'test', 'fixtures', 'plugins', 'tdd-relay'),
]
const dataDirOf = (home: string) => join(home, '.claude', 'plugins', 'data', 'switchboard-inline')
// An answer that itself writes Claude Code's tag mid-text: that text is the agent's and must stay.
const ANSWER =
  'NOTES-5150: kites fly.\n<tools-used-before-summary>Bash</tools-used-before-summary> is what I did not use.'

function projectWithNotes(): { cwd: string; notes: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'switchboard-e2e-project-'))
  const notes = join(cwd, 'notes.txt')
  writeFileSync(notes, 'Solar kites ride the wind.\n')
  return { cwd, notes }
}

describe.each(PINNED_VERSIONS)('returns on Claude Code %s', (version) => {
  it('stores exactly the answer of a nested agent that used Read first', async () => {
    const { cwd, notes } = projectWithNotes()
    const run = await runClaude({
      version,
      cwd,
      prompt: 'Take notes',
      plugins: PLUGINS,
      scenario: {
        main: [{ call: callAgent('tdd-relay:coordinator', 'Get notes on kites.') }, say('Done.')],
        agents: {
          'tdd-relay:coordinator': [
            { call: callAgent('tdd-tech:tech-writer', 'Summarise the notes. [[switchboard into=notes]]') },
            say('RELAY DONE'),
          ],
          'tdd-tech:tech-writer': [{ call: { tool: 'Read', input: { file_path: notes } } }, say(ANSWER)],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    const slot = getSlot(sessionDir(dataDirOf(run.home), String(run.init?.session_id)), 'notes')
    expect(slot).toMatchObject({ type: 'text', value: ANSWER })
  })

  it('stores exactly the answer of an agent called from the main thread that used Read first', async () => {
    const { cwd, notes } = projectWithNotes()
    const run = await runClaude({
      version,
      cwd,
      prompt: 'Take notes',
      plugins: PLUGINS,
      scenario: {
        main: [
          { call: callAgent('tdd-tech:tech-writer', 'Summarise the notes. [[switchboard into=notes]]') },
          say('Done.'),
        ],
        agents: { 'tdd-tech:tech-writer': [{ call: { tool: 'Read', input: { file_path: notes } } }, say(ANSWER)] },
      },
    })
    expect(run.exitCode).toBe(0)
    const slot = getSlot(sessionDir(dataDirOf(run.home), String(run.init?.session_id)), 'notes')
    expect(slot).toMatchObject({ type: 'text', value: ANSWER })
  })

  it('checks the output contract against the answer alone', async () => {
    const { cwd, notes } = projectWithNotes()
    const run = await runClaude({
      version,
      cwd,
      prompt: 'Count',
      plugins: PLUGINS,
      scenario: {
        main: [{ call: callAgent('tdd-relay:coordinator', 'Count the notes.') }, say('Done.')],
        agents: {
          'tdd-relay:coordinator': [
            { call: callAgent('tdd-relay:counter', `Count the lines of ${notes}. [[switchboard into=lines]]`) },
            say('RELAY DONE'),
          ],
          // An integer contract: any text in front of "1" would make the answer no JSON at all.
          'tdd-relay:counter': [{ call: { tool: 'Read', input: { file_path: notes } } }, say('1')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(run.textSentTo('tdd-relay:coordinator')).not.toContain('does not match its output contract')
    const slot = getSlot(sessionDir(dataDirOf(run.home), String(run.init?.session_id)), 'lines')
    expect(slot).toMatchObject({ type: 'json', value: 1, writer: 'return:tdd-relay:counter' })
  })
})
