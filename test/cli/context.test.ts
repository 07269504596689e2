import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { getSlot, MAX_SLOT_FILE_BYTES, putSlot } from '../../src/context/index.ts'
import { appendRecord, sessionDir } from '../../src/trace/index.ts'
import { cli, REPO } from '../helpers/cli.ts'
import { testdir } from '../helpers/testdir.ts'

describe('switchboard context', () => {
  // Found by review: a slot an agent's return filled reached the person's terminal as it was, escapes and all.
  it('gets a value escaped to a terminal, and byte for byte to a pipe or with --raw', async () => {
    const data = testdir()
    const dir = sessionDir(data, 's1')
    appendRecord(dir, { e: 'start', agent: 'a', type: 't', ts: 1 })
    const env = { SWITCHBOARD_DATA_DIR: data, CLAUDE_CODE_SESSION_ID: 's1' }
    const value = 'Edited.\n\u001b[2J\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007'
    putSlot(dir, { name: 'draft', type: 'text', value, writer: 'return:tdd-editor:editor' })
    expect((await cli(['context', 'get', 'draft'], { env })).stdout).toBe(`${value}\n`)
    expect((await cli(['context', 'get', 'draft'], { env, terminal: true })).stdout).toBe(
      'Edited.\n\\x1b[2J\\x1b]8;;https://evil.example\\x07click\\x1b]8;;\\x07\n',
    )
    expect((await cli(['context', 'get', 'draft', '--raw'], { env, terminal: true })).stdout).toBe(`${value}\n`)
  })

  it('puts, lists, gets and clears slots of the session Claude Code names (CLAUDE_CODE_SESSION_ID)', async () => {
    const data = testdir()
    appendRecord(sessionDir(data, 's1'), { e: 'start', agent: 'a', type: 't', ts: 1 })
    const env = { SWITCHBOARD_DATA_DIR: data, CLAUDE_CODE_SESSION_ID: 's1' }
    writeFileSync(join(data, 'draft.md'), '# Kites\nThey fly.')
    expect(await cli(['context', 'put', 'article_draft', `@${join(data, 'draft.md')}`], { env })).toMatchObject({
      code: 0,
      stdout: 'Stored article_draft (text, 17 chars) in session s1.\n',
    })
    expect((await cli(['context', 'put', 'seo', '{"score": 80}', '--json'], { env })).code).toBe(0)
    expect(getSlot(sessionDir(data, 's1'), 'seo')).toMatchObject({ type: 'json', value: { score: 80 }, writer: 'cli' })
    expect((await cli(['context', 'list'], { env })).stdout).toMatch(
      /^SLOT +TYPE +SIZE +FROM +WRITTEN +SECRET\n[- ]+\narticle_draft {2}text {2}17 chars {2}cli +\S+\nseo +json {2}\d\d chars {2}cli +\S+\n$/,
    )
    expect((await cli(['context', 'get', 'article_draft'], { env })).stdout).toBe('# Kites\nThey fly.\n')
    expect(await cli(['context', 'get', 'nope'], { env })).toMatchObject({
      code: 1,
      stdout: 'No slot "nope" in session s1. Slots: article_draft, seo.\n',
    })
    expect((await cli(['context', 'clear', 'seo'], { env })).stdout).toBe('Removed 1 slot from session s1.\n')
    expect(await cli(['context', 'clear', 'seo'], { env })).toMatchObject({
      code: 1,
      stdout: 'No slot "seo" in session s1, so nothing was removed. Slots: article_draft.\n',
    })
    expect((await cli(['context', 'clear'], { env })).stdout).toBe('Removed 1 slot from session s1.\n')
  })

  // Found by a newcomer's review: a Latin-1 file was stored with its é as U+FFFD, the byte lost unsaid.
  it('stores a file only as the UTF-8 text it is, and says which byte is not', async () => {
    const data = testdir()
    appendRecord(sessionDir(data, 's1'), { e: 'start', agent: 'a', type: 't', ts: 1 })
    const env = { SWITCHBOARD_DATA_DIR: data, CLAUDE_CODE_SESSION_ID: 's1' }
    writeFileSync(join(data, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]))
    writeFileSync(join(data, 'bom.txt'), '\uFEFFcafé')
    for (const argv of [
      ['context', 'put', 'lat', `@${join(data, 'latin1.txt')}`],
      [
        'plan',
        'tdd-design:illustrator',
        `content=@${join(data, 'latin1.txt')}`,
        '--plugin-dir',
        'examples/tdd-design',
        '--no-installed',
      ],
    ]) {
      const result = await cli(argv, { env })
      expect(`${result.stdout}${result.stderr}`, argv[0]).toContain('is not UTF-8 text (byte 3: 0xe9)')
      expect(result.code, argv[0]).not.toBe(0)
    }
    expect(getSlot(sessionDir(data, 's1'), 'lat')).toBeUndefined()
    expect((await cli(['context', 'put', 'bom', `@${join(data, 'bom.txt')}`], { env })).code).toBe(0)
    expect(getSlot(sessionDir(data, 's1'), 'bom')?.value).toBe('\uFEFFcafé') // nothing lost, the mark included
  })

  // Found by a docs review: at a terminal, `@file` was a plain read, so a pipe named there held the command
  // (docs/security.md says `@file` is opened without waiting, from a regular file only). Run as the shipped CLI,
  // in a process of its own, which a wait would hold past its timeout.
  it('refuses an @file that is a pipe or a folder at once, naming why', () => {
    const data = testdir()
    appendRecord(sessionDir(data, 's1'), { e: 'start', agent: 'a', type: 't', ts: 1 })
    if (spawnSync('mkfifo', [join(data, 'pipe')]).status !== 0) return // no mkfifo here: nothing to prove
    for (const [file, why] of [
      ['pipe', 'it is not a regular file'],
      ['.', 'it is not a regular file'],
      ['absent.txt', 'there is no such file'],
      // A pseudo-file says its size is 0, and its bytes would be lost: refused, with the way that works.
      ...(existsSync('/proc/cpuinfo') ? [['../../../../../../../../proc/cpuinfo', 'Pipe it instead']] : []),
    ] as const) {
      const run = spawnSync(
        process.execPath,
        [join(REPO, 'plugin', 'bin', 'switchboard'), 'context', 'put', 'x', `@${join(data, file)}`],
        {
          env: { PATH: process.env.PATH, HOME: data, SWITCHBOARD_DATA_DIR: data, CLAUDE_CODE_SESSION_ID: 's1' },
          encoding: 'utf8',
          timeout: 10_000,
        },
      )
      expect(run.signal, file).toBeNull()
      expect(run.status, file).not.toBe(0)
      expect(run.stderr, file).toContain(why)
    }
  })

  // Found by review: --json @file was bounded by the file's size, so a pretty-printed file larger than a slot
  // was refused though its value, stored compacted, fits.
  it('stores JSON from a file by the size of its value, not of its whitespace', async () => {
    const data = testdir()
    appendRecord(sessionDir(data, 's1'), { e: 'start', agent: 'a', type: 't', ts: 1 })
    const env = { SWITCHBOARD_DATA_DIR: data, CLAUDE_CODE_SESSION_ID: 's1' }
    const items = Array.from({ length: 2_000 }, (_, i) => ({ id: i, name: `item ${i}` }))
    const pretty = `${' '.repeat(MAX_SLOT_FILE_BYTES)}${JSON.stringify(items, null, 2)}` // a slot's worth of blanks first
    expect(Buffer.byteLength(pretty)).toBeGreaterThan(MAX_SLOT_FILE_BYTES)
    writeFileSync(join(data, 'items.json'), pretty)
    const stored = await cli(['context', 'put', 'items', `@${join(data, 'items.json')}`, '--json'], { env })
    expect(stored.code, stored.stderr).toBe(0)
    expect(getSlot(sessionDir(data, 's1'), 'items')?.value).toEqual(items)
    // As text, the whitespace is the value: over what a slot holds, refused unread.
    const text = await cli(['context', 'put', 'raw', `@${join(data, 'items.json')}`], { env })
    expect(text.code).not.toBe(0)
    expect(text.stderr).toContain('read for a slot')
  })

  it('rejects bad names, bad JSON and unknown actions as usage errors', async () => {
    const data = testdir()
    appendRecord(sessionDir(data, 's1'), { e: 'start', agent: 'a', type: 't', ts: 1 })
    const env = { SWITCHBOARD_DATA_DIR: data, CLAUDE_CODE_SESSION_ID: 's1' }
    expect(await cli(['context', 'put', '9lives', 'x'], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('is not a slot name'),
    })
    expect(await cli(['context', 'put', 'x', '{oops', '--json'], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('not JSON'),
    })
    expect(await cli(['context', 'put', 'x', '@no-such-file.md'], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('cannot read @no-such-file.md ('),
    })
    expect(await cli(['context', 'put', 'x', `@${data}`], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        'it is not a regular file (a folder, a pipe or a device). Give the path of a text file, or the text itself',
      ),
    })
    // A word past what the action takes would be dropped: `put note hello world` kept only "hello".
    expect(await cli(['context', 'put', 'note', 'hello', 'world'], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unexpected argument "world"; put stores one value: quote text with spaces'),
    })
    expect(getSlot(sessionDir(data, 's1'), 'note')).toBeUndefined()
    expect(await cli(['context', 'list', 'extra'], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unexpected argument "extra"'),
    })
    expect(await cli(['context', 'frob'], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('use list, get, put or clear'),
    })
    expect(await cli(['context', 'list'], { env: { SWITCHBOARD_DATA_DIR: testdir() } })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no session found'),
    })
  })

  it('names a session nothing wrote to: a typo is an error for reading, and a put says the slot waits for it', async () => {
    const data = testdir()
    const env = { SWITCHBOARD_DATA_DIR: data }
    expect(await cli(['context', 'put', 'brief', 'kites', '--session', 's1'], { env })).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(
        'That session has not started here yet, and no Claude Code session will have this id: claude --session-id takes a UUID only.',
      ),
    })
    const uuid = '0f8e5c1a-3b7d-4e2f-9a6c-1d2e3f4a5b6c'
    expect(await cli(['context', 'put', 'brief', 'kites', '--session', uuid], { env })).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(
        `That session has not started here yet: a Claude Code session started with this id (claude --session-id ${uuid}) reads it.`,
      ),
    })
    // A session that holds only slots is a session: `latest` finds it.
    expect(await cli(['context', 'list', '--session', 'latest'], { env })).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/\nbrief +text +5 chars +cli +/),
    })
    for (const argv of [
      ['context', 'list', '--session', 's2'],
      ['context', 'clear', '--session', 's2'],
      ['trace', '--session', 's2'],
    ])
      expect(await cli(argv, { env }), argv.join(' ')).toMatchObject({
        code: 1,
        [argv[0] === 'trace' ? 'stdout' : 'stderr']: expect.stringContaining(
          `no session "s2" in ${data}. Recent sessions: ${uuid}, s1 (or --session latest)`,
        ),
      })
  })

  it('never writes into another session unless it is named: the latest is read-only by default', async () => {
    const data = testdir()
    appendRecord(sessionDir(data, 'mine'), { e: 'start', agent: 'a', type: 't', ts: 1 })
    appendRecord(sessionDir(data, 'theirs'), { e: 'start', agent: 'a', type: 't', ts: 2 })
    const outside = { SWITCHBOARD_DATA_DIR: data }
    // Outside Claude Code: a write must name its session; a read may fall back to the latest.
    expect(await cli(['context', 'put', 'x', 'v'], { env: outside })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--session ID (or --session latest)'),
    })
    expect((await cli(['context', 'put', 'x', 'v', '--session', 'theirs'], { env: outside })).code).toBe(0)
    // Inside Claude Code (the Bash tool sets CLAUDE_CODE_SESSION_ID), the command works on that session, not the latest.
    expect(
      (await cli(['context', 'put', 'y', 'mine-value'], { env: { ...outside, CLAUDE_CODE_SESSION_ID: 'mine' } }))
        .stdout,
    ).toContain('in session mine.')
    expect(getSlot(sessionDir(data, 'theirs'), 'y')).toBeUndefined()
    expect(
      (await cli(['context', 'list'], { env: { ...outside, CLAUDE_CODE_SESSION_ID: 'mine' } })).stdout,
    ).not.toContain('x  text')
  })

  it('stores a secret slot, shown with whom it is shared', async () => {
    const data = testdir()
    const env = { SWITCHBOARD_DATA_DIR: data, CLAUDE_CODE_SESSION_ID: 's1' }
    expect((await cli(['context', 'put', 'api_key', 'sk-123', '--share-with', 'tdd-design'], { env })).code).toBe(0)
    expect(getSlot(sessionDir(data, 's1'), 'api_key')).toMatchObject({ secret: true, shareWith: ['tdd-design'] })
    expect((await cli(['context', 'list'], { env })).stdout).toMatch(/ {2}to: tdd-design\n$/)
  })
})

describe('context put --share-with outside a session', () => {
  it('checks the names against the plugins the command reads', async () => {
    const data = testdir()
    const env = {
      SWITCHBOARD_DATA_DIR: data,
      SWITCHBOARD_PLUGIN_DIRS: join(REPO, 'examples', 'tdd-design'),
    }
    const put = await cli(['context', 'put', 'api_key', 'sk', '--share-with', 'tdd-desing', '--session', 's9'], { env })
    expect(put.code).toBe(0)
    expect(put.stdout).toContain('No plugin "tdd-desing" (did you mean "tdd-design"?) is installed here')
  })
})

// Found by review: run by Claude Code (CLAUDECODE=1, its Bash tool), `context clear` removed the user's secret, so a
// put could take its name and have its own value sent to the plugins the secret was shared with; `context get`
// printed the secret into the Bash step's output. Both now do what context_clear and context_get do.
describe('switchboard context run by Claude Code', () => {
  it('keeps secret slots on clear and does not show them on get; at a terminal both work as before', async () => {
    const home = testdir()
    const id = 'context-by-claude'
    const dir = sessionDir(join(home, 'data'), id)
    const env = { SWITCHBOARD_DATA_DIR: join(home, 'data'), CLAUDE_CODE_SESSION_ID: id }
    putSlot(dir, {
      name: 'api_key',
      type: 'text',
      value: 'sk-live-7737',
      writer: 'cli',
      secret: true,
      shareWith: ['tdd-design'],
    })
    putSlot(dir, { name: 'draft', type: 'text', value: 'Kites.', writer: 'cli' })
    const bash = { env: { ...env, CLAUDECODE: '1' } }
    const shown = await cli(['context', 'get', 'api_key', '--session', id], bash)
    expect(shown.code).toBe(1)
    expect(shown.stdout + shown.stderr).not.toContain('sk-live-7737')
    expect(shown.stdout).toContain(
      '"api_key" is secret (12 chars): Switchboard passes it as $api_key only to tdd-design',
    )
    const cleared = await cli(['context', 'clear', '--session', id], bash)
    expect(cleared.stdout).toContain(
      'Removed 1 slot from session context-by-claude. Kept api_key: secret slots are removed only with `switchboard context clear` at a terminal.',
    )
    expect(getSlot(dir, 'api_key')).toMatchObject({ value: 'sk-live-7737' })
    expect(getSlot(dir, 'draft')).toBeUndefined()
    expect((await cli(['context', 'clear', 'api_key', '--session', id], bash)).code).toBe(0)
    expect(getSlot(dir, 'api_key')).toMatchObject({ value: 'sk-live-7737' })
    // At a terminal: the user's own.
    expect((await cli(['context', 'get', 'api_key', '--session', id], { env })).stdout).toContain('sk-live-7737')
    expect((await cli(['context', 'clear', 'api_key', '--session', id], { env })).stdout).toContain('Removed 1 slot')
    expect(getSlot(dir, 'api_key')).toBeUndefined()
  })
})
