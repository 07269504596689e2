// A secret slot is the user's: nothing a model or a plugin can steer replaces or removes it (an
// attacker review replaced one through context_clear + context_put, a key=@file argument, a workflow
// step's slot and a receipt). Only `switchboard context put --secret` at a terminal does.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { clearSlots, getSlot, putSlot } from '../../src/context/index.ts'
import type { Slot } from '../../src/context/core.ts'
import { findComponent, planInjection } from '../../src/guard/index.ts'
import { contextTool, planCallTool, registryOf } from '../../src/mcp/tools.ts'
import { recordSessionProcess } from '../../src/trace/index.ts'
import { captureReturn } from '../../src/hooks/capture-return.ts'
import { cli } from '../helpers/cli.ts'
import { hookSession } from '../helpers/hooks.ts'

describe('secret slots', () => {
  it('are replaced and removed only from a terminal, never by a tool call, a file argument or a return', async () => {
    const s = hookSession('secret-slots')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
    putSlot(s.dir, {
      name: 'api_key',
      type: 'text',
      value: 'sk-live',
      writer: 'cli',
      secret: true,
      shareWith: ['tdd-design'],
    })
    putSlot(s.dir, { name: 'notes', type: 'text', value: 'n', writer: 'cli' })
    // A tool call: put over it, clear it (then put), clear everything.
    expect(contextTool(environment, 'put', { name: 'api_key', value: 'mine' })).toContain(
      'the slot "api_key" is secret',
    )
    expect(contextTool(environment, 'clear', { name: 'api_key' })).toBe(
      'Removed 0 slot(s). Kept api_key: secret slots are removed only with `switchboard context clear` at a terminal.',
    )
    expect(contextTool(environment, 'clear', {})).toContain('Removed 1 slot(s). Kept api_key')
    // A file argument would store the file under the secret's name.
    writeFileSync(join(s.home, 'k.txt'), 'from a file')
    expect(
      await planCallTool(environment, {
        target: 'tdd-design:illustrator',
        args: { content: 'Kites', api_key: '@k.txt' },
      }),
    ).toContain('the slot "api_key" is secret')
    // A captured return or a workflow step writes as return:<target> or tool: refused the same way.
    expect(() =>
      putSlot(s.dir, { name: 'api_key', type: 'text', value: 'x', writer: 'return:tdd-design:illustrator' }),
    ).toThrow(/secret/)
    expect(getSlot(s.dir, 'api_key')?.value).toBe('sk-live')
    // The user, at a terminal, may.
    putSlot(s.dir, { name: 'api_key', type: 'text', value: 'sk-new', writer: 'cli', secret: true })
    expect(getSlot(s.dir, 'api_key')?.value).toBe('sk-new')
  })

  // Found by an attacker's review: a return, a tool's secret, and files that outlived their slot.
  it('never stores the return of a call that carries a secret, where any plugin could read it', () => {
    const secret: Slot = {
      name: 'api_key',
      type: 'text',
      value: 'sk-live',
      writer: 'cli',
      ts: 1,
      secret: true,
      shareWith: ['tdd-design'],
    }
    const injection = planInjection({
      invocation: 'toolu_1',
      caller: 'main',
      chain: ['main'],
      component: { id: 'tdd-design:illustrator', plugin: 'tdd-design', kind: 'agent', orchestration: null } as never,
      toolInput: { prompt: 'Use $api_key. [[switchboard into=leak]]' },
      slot: (name) => (name === 'api_key' ? secret : undefined),
      slotNames: () => ['api_key'],
      filesDir: '/tmp/files',
    })
    expect(injection).toMatchObject({
      kind: 'deny',
      reason: expect.stringMatching(
        /^context: this call carries the secret \$api_key, so its return may not be stored in a slot/,
      ),
    })
  })

  it('lets no tool call make a secret over a slot someone else wrote, from the MCP server or from Bash', async () => {
    const s = hookSession('secret-takeover')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    putSlot(s.dir, { name: 'article', type: 'text', value: "the user's draft", writer: 'cli' })
    const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
    expect(contextTool(environment, 'put', { name: 'article', value: 'x', secret: true })).toBe(
      'there is already a slot "article": a tool call stores a secret only under a new name.',
    )
    const bash = { env: { ...s.env, CLAUDECODE: '1', CLAUDE_CODE_SESSION_ID: s.sessionId } }
    const put = await cli(['context', 'put', 'article', 'x', '--secret'], bash)
    expect(put).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('a put stores a secret only under a new name'),
    })
    expect(getSlot(s.dir, 'article')).toMatchObject({ value: "the user's draft", writer: 'cli' })
    // Run by Claude Code, a put is a tool's: it cannot replace the user's secret, nor read past what Read may.
    putSlot(s.dir, { name: 'token', type: 'text', value: 't', writer: 'cli', secret: true })
    expect(await cli(['context', 'put', 'token', 'mine'], bash)).toMatchObject({ code: 1, stdout: '' })
    expect(getSlot(s.dir, 'token')?.value).toBe('t')
    const outside = await cli(['context', 'put', 'leak', '@/etc/hostname'], { ...bash, cwd: s.home })
    expect(outside.code).toBe(2)
    expect(getSlot(s.dir, 'leak')).toBeUndefined()
  })

  it("removes the files a slot's values were sent in when the slot is cleared, and a secret's when it is replaced", () => {
    const s = hookSession('secret-files')
    const files = join(s.dir, 'context', 'files')
    mkdirSync(files, { recursive: true })
    putSlot(s.dir, { name: 'api_key', type: 'text', value: 'old', writer: 'cli', secret: true })
    writeFileSync(join(files, 'api_key-0123456789ab.txt'), 'old')
    writeFileSync(join(files, 'api_key_two-0123456789ab.txt'), 'another slot')
    putSlot(s.dir, { name: 'api_key', type: 'text', value: 'new', writer: 'cli', secret: true })
    expect(readdirSync(files)).toEqual(['api_key_two-0123456789ab.txt'])
    putSlot(s.dir, { name: 'notes', type: 'text', value: 'n', writer: 'cli' })
    writeFileSync(join(files, 'notes-0123456789ab.txt'), 'n')
    clearSlots(s.dir, 'notes')
    expect(readdirSync(files)).toEqual(['api_key_two-0123456789ab.txt'])
  })

  // Found by review: plan planned calls the guard then denied, and a terminal's key=@file replaced a secret.
  it('plans no call the guard would deny for a secret, and replaces no secret with a file, even from a terminal', async () => {
    const s = hookSession('secret-plans')
    putSlot(s.dir, {
      name: 'api_key',
      type: 'text',
      value: 'sk-live',
      writer: 'cli',
      secret: true,
      shareWith: ['tdd-design'],
    })
    putSlot(s.dir, { name: 'notes', type: 'text', value: 'the original notes', writer: 'cli' })
    writeFileSync(join(s.home, 'g.md'), 'from a file')
    const terminal = { env: s.env, cwd: s.home }
    const plan = (...words: string[]) => cli(['plan', ...words, '--session', s.sessionId], terminal)
    // Not shared with tdd-editor; stored from a secret-carrying call; stored over the secret.
    for (const [words, reason] of [
      [['tdd-editor:editor', 'draft=$api_key'], 'is secret and may not be sent to plugin "tdd-editor"'],
      [['tdd-design:illustrator', 'content=$api_key', '--into', 'out'], 'so its return may not be stored'],
      [['tdd-design:illustrator', 'content=hi', '--into', 'api_key'], 'the slot "api_key" is secret'],
    ] as const) {
      const planned = await plan(...words)
      expect(planned, words.join(' ')).toMatchObject({
        code: 1,
        stdout: expect.stringContaining('the guard refuses this call. context:'),
      })
      expect(planned.stdout).toContain(reason)
    }
    // The same call the guard allows is planned.
    expect(await plan('tdd-design:illustrator', 'content=$api_key')).toMatchObject({ code: 0 })
    // key=@file from a terminal: never over a secret; over another slot, with a word of it.
    const over = await plan('tdd-design:illustrator', 'content=hi', 'api_key=@g.md')
    expect(over).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('the slot "api_key" is secret, and plan does not replace it'),
    })
    expect(getSlot(s.dir, 'api_key')).toMatchObject({ value: 'sk-live', secret: true })
    // Refused before any file is stored: notes, first, keeps its value (found by review).
    const notesBefore = getSlot(s.dir, 'notes')?.value
    expect((await plan('tdd-design:illustrator', 'content=hi', 'notes=@g.md', 'api_key=@g.md')).code).toBe(1)
    expect(getSlot(s.dir, 'notes')?.value).toBe(notesBefore)
    const replaced = await plan('tdd-design:illustrator', 'content=hi', 'notes=@g.md')
    expect(replaced.code).toBe(0)
    expect(replaced.stdout).toContain('the slot notes (written by cli) now holds the file given as notes=@...')
  })
})

// Found by review: context_put checked and wrote a slot outside the session's lock, beside the hooks that
// store returns under it (the tools run on a thread of their own): the check and the write are one step now.
describe('context_put and context_clear', () => {
  it('write under the session lock, as the hooks do', () => {
    const s = hookSession('slot-lock')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
    // A lock held by a live owner (this process, another token), as a hook holds it while it decides.
    mkdirSync(join(s.dir, 'lock'), { recursive: true })
    writeFileSync(join(s.dir, 'lock', `${process.pid}-held-${Date.now()}`), '')
    // It waits for the lock (5 s), then gives up, writing nothing.
    expect(contextTool(environment, 'put', { name: 'notes', value: 'n' })).toMatch(
      /another call of this session .*held its lock/,
    )
    expect(getSlot(s.dir, 'notes')).toBeUndefined()
    expect(readdirSync(join(s.dir, 'lock'))).toHaveLength(1) // the holder's lock is left as it was
  }, 20_000)
})

// Found by a newcomer review: a secret shared with a misspelt plugin was stored without a word, and the
// typo came out only when the plugin meant was refused the slot, calls later.
describe('sharing a secret with a plugin that is not here', () => {
  it('stores it and says so, with the nearest plugin: context_put and the CLI', async () => {
    const s = hookSession('share-typo')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
    const typo = contextTool(environment, 'put', { name: 'key', value: 'k', secret: true, share_with: ['tdd-desgin'] })
    expect(typo).toContain('No plugin "tdd-desgin" (did you mean "tdd-design"?) is installed here')
    expect(getSlot(s.dir, 'key')).toMatchObject({ secret: true, shareWith: ['tdd-desgin'] })
    const right = contextTool(environment, 'put', {
      name: 'key2',
      value: 'k',
      secret: true,
      share_with: ['tdd-design'],
    })
    expect(right).not.toContain('installed here')
    // The CLI reads the session's plugins the same way, and names each plugin that is not there.
    const env = { ...s.env, CLAUDE_CODE_SESSION_ID: s.sessionId }
    const put = await cli(['context', 'put', 'key3', 'k', '--share-with', 'tdd-editor,tdd-desgin,zzz'], { env })
    expect(put.code).toBe(0)
    expect(put.stdout).toContain(
      'No plugins "tdd-desgin" (did you mean "tdd-design"?), "zzz" are installed here, so the secret goes to those names only once installed.',
    )
    const fine = await cli(['context', 'put', 'key4', 'k', '--share-with', 'tdd-editor'], { env })
    expect(fine.stdout).not.toContain('installed here')
  })
})

// Found by review: on a disk that folds case (macOS, Windows) `TOKEN.json` is `token.json`, and its text names
// another slot, so a put of TOKEN read as no slot there and replaced the user's secret token. Refused on every disk.
describe('a slot name that differs from another only in case', () => {
  it('is refused to a put, a tool call and a return, so the slot it would share a file with stays', () => {
    const s = hookSession('case-twin')
    recordSessionProcess(s.data, process.pid, s.sessionId)
    putSlot(s.dir, { name: 'token', type: 'text', value: 'sk-live', writer: 'cli', secret: true })
    expect(() => putSlot(s.dir, { name: 'TOKEN', type: 'text', value: 'mine', writer: 'cli' })).toThrow(
      'there is a slot "token", whose name differs from "TOKEN" only in letter case',
    )
    const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
    expect(contextTool(environment, 'put', { name: 'Token', value: 'mine' })).toContain('only in letter case')
    const component = findComponent(registryOf(environment), 'tdd-editor:editor')
    expect(component?.id).toBe('tdd-editor:editor')
    const injection = planInjection({
      invocation: 'toolu_1',
      caller: 'main',
      chain: ['main'],
      component: component!,
      toolInput: { prompt: 'Edit. [[switchboard into=TOKEN]]' },
      slot: (name) => getSlot(s.dir, name),
      slotNames: () => ['token'],
      filesDir: join(s.dir, 'context', 'files'),
    })
    expect(injection).toEqual({ kind: 'deny', reason: expect.stringContaining('only in letter case') })
    expect(getSlot(s.dir, 'token')).toMatchObject({ value: 'sk-live', secret: true })
  })
})

// Found by review: a return whose slot was made secret while the call ran was dropped, the trace said ok,
// and the caller never knew. It is now a failed call whose reason its caller is told (subagent.ts).
describe('a return that cannot be stored', () => {
  it('is a problem to tell the caller, and leaves the secret as it was', () => {
    const s = hookSession('not-stored')
    putSlot(s.dir, { name: 'out', type: 'text', value: 'the user', writer: 'cli', secret: true })
    const invocation = {
      ...{ id: 'toolu_1', parent: null, caller: 'main', callerAgent: null, target: 'tdd-editor:editor' },
      ...{ kind: 'agent' as const, agent: 'a1', start: 1, end: null, durationMs: null, tokens: null },
      ...{ status: 'running' as const, reason: null, into: 'out' },
    }
    const reading = captureReturn(s.dir, invocation, 'EDITED', undefined)
    expect(reading.problem).toMatch(/^the return was not stored in slot "out": the slot "out" is secret/)
    expect(reading.slot).toBeUndefined()
    expect(getSlot(s.dir, 'out')).toMatchObject({ value: 'the user', secret: true })
  })
})
