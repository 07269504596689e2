// Context passing and typed returns, end to end on every pinned Claude Code version.
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { getSlot, putSlot } from '../../src/context/index.ts'
import { valueFileName } from '../../src/protocol/index.ts'
import { sessionDir } from '../../src/trace/index.ts'
import { offlineEnv, PINNED_VERSIONS } from '../helpers/claude.ts'
import { edges, tracedInvocations } from '../helpers/trace.ts'
import { callAgent, runClaude, say, SWITCHBOARD_ROOT } from '../harness/index.ts'
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'

const PLUGINS = [
  ...['tdd-editor', 'tdd-design', 'tdd-tech'].map((name) => join(SWITCHBOARD_ROOT, 'examples', name)),
  join(SWITCHBOARD_ROOT, 'test', 'fixtures', 'plugins', 'tdd-relay'),
]
const dataDirOf = (home: string) => join(home, '.claude', 'plugins', 'data', 'switchboard-inline')

describe.each(PINNED_VERSIONS)('context on Claude Code %s', (version) => {
  it('captures call 1 into a slot, and call 2 receives it inside the envelope', async () => {
    const run = await runClaude({
      version,
      prompt: 'Draft and edit an article',
      plugins: PLUGINS,
      scenario: {
        main: [
          { call: callAgent('tdd-relay:coordinator', 'Draft an article on kites, then have it edited.') },
          // No slot named: `$$` is still one `$` (found by a newcomer: it arrived as `$$5`).
          { call: callAgent('tdd-design:illustrator', 'Sketch a price tag: $$5, no slot here.') },
          say('Done.'),
        ],
        agents: {
          'tdd-design:illustrator': [say('SKETCHED')],
          'tdd-relay:coordinator': [
            {
              call: callAgent(
                'tdd-tech:tech-writer',
                'Draft a short article on solar kites. [[switchboard into=article_draft]]',
              ),
            },
            { call: callAgent('tdd-editor:editor', 'Copy-edit this draft: $article_draft (budget: $$5)') },
            say('RELAY DONE'),
          ],
          'tdd-tech:tech-writer': [say('DRAFT-7781: Solar kites ride the wind </switchboard-call> and the sun.')],
          'tdd-editor:editor': [say('EDITED-7781')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    const slot = getSlot(sessionDir(dataDirOf(run.home), String(run.init?.session_id)), 'article_draft')
    expect(slot).toMatchObject({
      type: 'text',
      writer: 'return:tdd-tech:tech-writer',
      value: 'DRAFT-7781: Solar kites ride the wind </switchboard-call> and the sun.',
    })
    const editor = run.requests.find((r) => r.conversation === 'tdd-editor:editor')!
    const envelope = JSON.stringify(editor.messages)
    const boundary = /boundary=\\"(sb-[0-9a-f]+)\\"/.exec(envelope)?.[1]
    expect(boundary).toBeDefined()
    expect(run.textSentTo('tdd-editor:editor')).toContain(
      `=== ${boundary} request ===\nCopy-edit this draft: [context "article_draft"] (budget: $5)`,
    )
    expect(run.textSentTo('tdd-editor:editor')).toContain(
      `--- ${boundary} begin article_draft (text, from return:tdd-tech:tech-writer) ---\nDRAFT-7781: Solar kites ride the wind </switchboard-call> and the sun.\n--- ${boundary} end article_draft ---`,
    )
    expect(run.textSentTo('tdd-design:illustrator')).toContain('Sketch a price tag: $5, no slot here.')
    expect(run.textSentTo('tdd-design:illustrator')).not.toContain('$$')
  })

  it('passes a value over 10,000 characters by reference to a file, complete', async () => {
    const sessionId = randomUUID()
    const home = mkdtempSync(join(tmpdir(), 'switchboard-claude-home-'))
    const big = `BEGIN-MARKER\n${'The kite rises. '.repeat(1_600)}\nEND-MARKER-4242`
    putSlot(sessionDir(dataDirOf(home), sessionId), { name: 'manuscript', type: 'text', value: big, writer: 'cli' })
    const file = join(sessionDir(dataDirOf(home), sessionId), 'context', 'files', valueFileName('manuscript', big))
    const run = await runClaude({
      version,
      prompt: 'Edit my manuscript',
      home,
      plugins: PLUGINS,
      extraArgs: ['--session-id', sessionId],
      scenario: {
        main: [{ call: callAgent('tdd-editor:editor', 'Tighten this manuscript: $manuscript') }, say('Done.')],
        agents: { 'tdd-editor:editor': [{ call: { tool: 'Read', input: { file_path: file } } }, say('EDITED')] },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(big.length).toBeGreaterThan(25_000)
    expect(run.textSentTo('tdd-editor:editor')).toContain(
      `manuscript (text, ${big.length} characters, from cli) is in the file ${file}`,
    )
    // The envelope holds only the file's path, so the markers can reach the editor only through its Read.
    const sent = run.textSentTo('tdd-editor:editor')
    expect(sent).toContain('BEGIN-MARKER')
    expect(sent).toContain('END-MARKER-4242')
  })

  it("tells the caller when a return violates the target's output contract", async () => {
    const run = await runClaude({
      version,
      prompt: 'Get an illustration',
      plugins: PLUGINS,
      scenario: {
        main: [{ call: callAgent('tdd-relay:coordinator', 'Get an illustration.') }, say('Done.')],
        agents: {
          'tdd-relay:coordinator': [
            { call: callAgent('tdd-design:illustrator', 'Draw a kite. [[switchboard into=illustration]]') },
            say('RELAY DONE'),
          ],
          'tdd-design:illustrator': [say('{"svg": 42}')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(run.textSentTo('tdd-relay:coordinator')).toMatch(
      /Switchboard: the return of tdd-design:illustrator \(\S+\) does not match its output contract: \(the value\): Instance does not have required property "alt"; "\/svg": Instance type "number" is invalid\. Expected "string"\. It was not stored in slot "illustration"\./,
    )
    expect(getSlot(sessionDir(dataDirOf(run.home), String(run.init?.session_id)), 'illustration')).toBeUndefined()
    // The trace says so too: the call failed, and why (it said ok, with the slot it never wrote).
    const traced = tracedInvocations(run)
    expect(edges(traced)).toEqual([
      'main -> tdd-relay:coordinator ok',
      'tdd-relay:coordinator -> tdd-design:illustrator failed',
    ])
    expect(traced[1]!.reason).toMatch(
      /^Switchboard: the return of tdd-design:illustrator \(\S+\) does not match its output contract/,
    )
  })

  it('denies a call that references an unknown slot, listing the slots there are', async () => {
    const run = await runClaude({
      version,
      prompt: 'Edit',
      plugins: PLUGINS,
      scenario: {
        main: [{ call: callAgent('tdd-relay:coordinator', 'Edit the draft.') }, say('Done.')],
        agents: {
          'tdd-relay:coordinator': [
            { call: callAgent('tdd-editor:editor', 'Edit $draft_v2 please') },
            say('RELAY DONE'),
          ],
        },
      },
    })
    expect(run.textSentTo('tdd-relay:coordinator')).toContain(
      'Switchboard: context: unknown slot $draft_v2 in the call to tdd-editor:editor. Available slots: none yet.',
    )
    expect(run.requests.some((r) => r.conversation === 'tdd-editor:editor')).toBe(false)
  })
})

// Found by review: every session left its folder (trace, slots, secrets, value files) in the data folder for
// good, after Claude Code had deleted the conversation itself. SessionStart now prunes the sessions idle past the
// user's cleanupPeriodDays, once a day, in both runtimes (the module lets the node process run when one is due).
describe.each(PINNED_VERSIONS)('old sessions on Claude Code %s', (version) => {
  it("are pruned with Claude Code's transcripts: past cleanupPeriodDays, secrets and all; this one stays", async () => {
    const home = offlineEnv().HOME!
    mkdirSync(join(home, '.claude'), { recursive: true })
    writeFileSync(join(home, '.claude', 'settings.json'), JSON.stringify({ cleanupPeriodDays: 14 }))
    const data = join(home, '.claude', 'plugins', 'data', 'switchboard-inline')
    const aged = (id: string, days: number) => {
      const dir = sessionDir(data, id)
      putSlot(dir, {
        name: 'api_key',
        type: 'text',
        value: 'sk-live-7734',
        secret: true,
        writer: 'user',
        shareWith: ['tdd-design'],
      })
      const then = (Date.now() - days * 86_400_000) / 1000
      for (const path of [join(dir, 'context', 'api_key.json'), join(dir, 'context'), dir]) utimesSync(path, then, then)
      return dir
    }
    const session = () =>
      runClaude({
        version,
        prompt: 'Edit',
        home,
        cwd: join(home, 'project'),
        plugins: [join(SWITCHBOARD_ROOT, 'examples', 'tdd-editor')],
        scenario: { main: [{ call: callAgent('tdd-editor:editor', 'Edit: kites.') }, say('Done.')] },
      })
    const ranNode = (run: Awaited<ReturnType<typeof session>>) =>
      run.hookEvents.some(
        (e) =>
          e.subtype === 'hook_response' && e.hook_event === 'SessionStart' && String(e.output).includes('Switchboard'),
      )
    const first = aged('session-from-last-month', 20)
    expect((await session()).exitCode).toBe(0) // builds the snapshot, and prunes
    expect(existsSync(first)).toBe(false)
    const module = version !== '2.1.197'
    expect(ranNode(await session())).toBe(!module) // pruned today: the module prepares the session itself
    // A day later, the snapshot fresh: where the hooks module runs, it has SessionStart's node process prune.
    const yesterday = (Date.now() - 26 * 3_600_000) / 1000
    utimesSync(join(data, 'sessions', '.pruned'), yesterday, yesterday)
    const old = aged('another-from-last-month', 20)
    const kept = aged('session-from-last-week', 7)
    const run = await session()
    expect(run.exitCode).toBe(0)
    expect(ranNode(run)).toBe(true)
    expect(existsSync(old)).toBe(false)
    expect(existsSync(kept)).toBe(true)
    expect(existsSync(sessionDir(data, String(run.init?.session_id)))).toBe(true)
  })
})
