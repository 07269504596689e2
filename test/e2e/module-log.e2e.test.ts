// The hooks module's call log on the real Claude Code, across a resume: a long session's log is kept in
// segments (the module rewrites only its newest, so a write stays as long as a segment, not the session),
// every segment is read again on a resume, and the trace shows them all. A log planted as a link before a
// resume is never written through; the session's calls cannot be counted, so the guard refuses the calls it
// tracks in either mode, as the settings hooks do.
import { randomUUID } from 'node:crypto'
import { existsSync, lstatSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sessionDir } from '../../src/trace/index.ts'
import { MODULE_LOG_SEGMENT_CHARS, recordLine } from '../../src/trace/records.ts'
import type { CallRecord } from '../../src/trace/records.ts'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import { EXAMPLES } from '../helpers/plugins.ts'
import { edges, expectedRuntime, runDataDir, tracedInvocations } from '../helpers/trace.ts'
import { callAgent, runClaude, say } from '../harness/index.ts'
import type { ClaudeRun } from '../harness/index.ts'

const MODULE_VERSIONS = PINNED_VERSIONS.filter((v) => expectedRuntime(v) === 'module')

/** A session with one call to the editor, under a known id, whose folder is then prepared for its resume. */
async function firstSession(version: (typeof PINNED_VERSIONS)[number]): Promise<{ run: ClaudeRun; dir: string }> {
  const sessionId = randomUUID()
  const run = await runClaude({
    version,
    prompt: 'Edit my draft',
    plugins: EXAMPLES,
    extraArgs: ['--session-id', sessionId],
    scenario: {
      main: [{ call: callAgent('tdd-editor:editor', 'Edit: kites are fun.') }, say('Edited.')],
      agents: { 'tdd-editor:editor': [say('EDITED')] },
    },
  })
  expect(run.exitCode).toBe(0)
  return { run, dir: sessionDir(runDataDir(run), sessionId) }
}

const DRAW = [{ call: callAgent('tdd-design:illustrator', 'Draw a kite.') }, say('Drawn.')]

/** How many of its turns the stand-in played in a session's main conversation (its last answer included). */
function answered(run: ClaudeRun): number {
  const last = run.requests.filter((r) => r.conversation === 'main').at(-1)
  return (last?.messages ?? []).filter((m) => m.role === 'assistant').length + 1
}

/** The session resumed, its main thread calling the illustrator. */
function resumed(
  version: (typeof PINNED_VERSIONS)[number],
  first: ClaudeRun,
  env: Record<string, string> = {},
): Promise<ClaudeRun> {
  return runClaude({
    version,
    prompt: 'Now draw it',
    home: first.home,
    cwd: first.cwd,
    plugins: EXAMPLES,
    env,
    extraArgs: ['--resume', String(first.init?.session_id)],
    scenario: {
      // The stand-in plays a conversation's turns by how many it has answered: the first session's come first.
      main: [...Array.from({ length: answered(first) }, () => say('(the first session)')), ...DRAW],
      agents: { 'tdd-design:illustrator': [say('{"svg": "<svg/>", "alt": "a kite"}')] },
    },
  })
}

/** Earlier calls of a long session, each a start and an end, filling at least one segment. */
function earlierCalls(before: number): string {
  const lines: string[] = []
  for (let n = 0; lines.join('').length < MODULE_LOG_SEGMENT_CHARS; n++) {
    const ts = before - 1_000_000 + n * 10
    const call: CallRecord = {
      e: 'call',
      id: `toolu_earlier_${n}`,
      parent: null,
      caller: 'main',
      callerAgent: null,
      target: 'tdd-tech:tech-writer',
      kind: 'agent',
      ts,
      status: 'running',
    }
    lines.push(recordLine(call), recordLine({ e: 'end', id: call.id, status: 'ok', ts: ts + 5, durationMs: 5 }))
  }
  return lines.join('')
}

describe.each(MODULE_VERSIONS)("the hooks module's call log on Claude Code %s", (version) => {
  it('resumes a long session: every segment read, only the newest written, the trace whole', async () => {
    const { run: first, dir } = await firstSession(version)
    // The first run's records become the second segment, behind a full first one of earlier calls.
    const [segment0, segment1] = [join(dir, 'calls-module.jsonl'), join(dir, 'calls-module.1.jsonl')]
    const firstRecords = readFileSync(segment0, 'utf8')
    renameSync(segment0, segment1)
    const earlier = earlierCalls(Date.now())
    writeFileSync(segment0, earlier)
    const before = statSync(segment0).mtimeMs
    const earlierCount = earlier.split('\n').filter(Boolean).length / 2

    const second = await resumed(version, first)
    expect(second.exitCode).toBe(0)
    expect(second.textSentTo('main')).not.toContain('the guard failed') // every segment read (4 MiB ranges)
    expect(readFileSync(segment0, 'utf8')).toBe(earlier)
    expect(statSync(segment0).mtimeMs).toBe(before) // not written again
    expect(existsSync(join(dir, 'calls-module.2.jsonl'))).toBe(false)
    const newest = readFileSync(segment1, 'utf8')
    expect(newest.startsWith(firstRecords)).toBe(true)
    expect(newest).toContain('"target":"tdd-design:illustrator"')
    const traced = tracedInvocations(second)
    expect(traced).toHaveLength(earlierCount + 2)
    expect(edges(traced).slice(-2)).toEqual(['main -> tdd-editor:editor ok', 'main -> tdd-design:illustrator ok'])
  })

  // A guard failure would fail open outside strict mode: a log planted before a resume would switch the guard off.
  it.each([
    ['in strict mode', { SWITCHBOARD_STRICT: '1' }],
    ['outside it', {}],
  ])(
    'never writes through a log planted as a link before a resume; refuses the calls it tracks %s',
    async (_, env: Record<string, string>) => {
      const { run: first, dir } = await firstSession(version)
      const segment0 = join(dir, 'calls-module.jsonl')
      const victim = join(first.home, 'victim.txt')
      writeFileSync(victim, 'VICTIM\n')
      renameSync(segment0, join(first.home, 'moved-away.jsonl'))
      symlinkSync(victim, segment0)

      const second = await resumed(version, first, env)
      expect(second.exitCode).toBe(0)
      expect(readFileSync(victim, 'utf8')).toBe('VICTIM\n')
      expect(lstatSync(segment0).isSymbolicLink()).toBe(true)
      expect(second.requests.some((r) => r.conversation === 'tdd-design:illustrator')).toBe(false)
      expect(second.textSentTo('main')).toContain(
        `Switchboard: unchecked: cannot read the session's call log ${segment0} (not a plain file)`,
      )
    },
  )
})
