// A secret slot is the user's: nothing a model or a plugin can steer replaces or removes it (an
// attacker review replaced one through context_clear + context_put, a key=@file argument, a workflow
// step's slot and a receipt). Only `switchboard context put --secret` at a terminal does.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { getSlot, putSlot } from '../../src/context/index.ts'
import { contextTool, planCallTool } from '../../src/mcp/tools.ts'
import { recordSessionProcess } from '../../src/trace/index.ts'
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
})
