// drive_workflow in process: the run engine the hooks module's runs are decided by. The module makes
// each call and reports how it ended; the server settles it, hands back the receipt to write, and says
// what comes next. It writes no file, and a run it does not know (or one step reported twice) is refused.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { callTool } from '../../src/mcp/tool-calls.ts'
import { listSlots } from '../../src/context/index.ts'
import { readRecords, recordSessionProcess } from '../../src/trace/index.ts'
import { hookSession } from '../helpers/hooks.ts'
import { EDIT_THEN_PICTURE } from '../helpers/workflows.ts'

type Reply = {
  run: string
  secret?: string
  workflow: string
  actions: Array<Record<string, unknown> & { do: string }>
  receipt?: { step: string; text: string }
  records?: Array<Record<string, unknown>>
  problems?: string[]
}

function session(name: string) {
  const s = hookSession(name)
  recordSessionProcess(s.data, process.pid, s.sessionId) // this process plays the Claude Code that started the server
  const environment = { cwd: s.home, env: s.env, claudePid: process.pid }
  const drive = async (args: Record<string, unknown>): Promise<Reply> => {
    const answer = await callTool('drive_workflow', args, environment)
    expect(answer.isError, answer.text).toBeUndefined()
    return JSON.parse(answer.text) as Reply
  }
  const start = (extra: Record<string, unknown> = {}, text = EDIT_THEN_PICTURE) =>
    drive({
      start: {
        source: { text, file: join(s.home, 'flows', 'two.yaml'), concurrency: 4 },
        inputs: { text: 'Kites fly.' },
        receipts: {},
        fresh: false,
        caller: { type: null, invocation: null, agent: null },
        ...extra,
      },
    })
  return { s, drive, start }
}

const calls = (reply: Reply) =>
  reply.actions.filter((a) => a.do === 'call').map((a) => a.call as { step: string } & Record<string, unknown>)

describe('drive_workflow', () => {
  it('hands out each call filled, settles what the module reports, hands back each receipt, and ends with the typed result', async () => {
    const { drive, start } = session('drive-two-steps')
    const first = await start()
    expect(first.run).toMatch(/^wf_[a-z0-9]+$/)
    expect(first.workflow).toBe('two')
    expect(calls(first)).toEqual([
      expect.objectContaining({
        step: 'edit',
        target: 'tdd-editor:editor',
        args: { draft: 'Kites fly.' },
        into: 'edited',
      }),
    ])
    const second = await drive({
      run: first.run,
      secret: first.secret,
      ended: { step: 'edit', outcome: { status: 'ok', value: 'EDITED' } },
    })
    expect(second.receipt?.step).toBe('edit')
    expect(JSON.parse(second.receipt!.text)).toMatchObject({
      key: { step: 'edit', target: 'tdd-editor:editor' },
      value: 'EDITED',
    })
    expect(calls(second)).toEqual([expect.objectContaining({ step: 'picture', target: 'tdd-design:illustrator' })])
    const last = await drive({
      run: first.run,
      secret: first.secret,
      ended: { step: 'picture', outcome: { status: 'ok', value: 'PICTURE' } },
    })
    expect(last.actions).toEqual([
      {
        do: 'done',
        result: expect.objectContaining({
          status: 'ok',
          steps: [
            expect.objectContaining({ id: 'edit', status: 'ok' }),
            expect.objectContaining({ id: 'picture', status: 'ok' }),
          ],
        }),
      },
    ])
    // The run left the server with its end: going on with it is refused, with the fix.
    expect((await drive({ run: first.run, secret: first.secret })).problems).toEqual([
      expect.stringContaining('has no workflow run'),
    ])
  })

  it('reuses a step from the receipts the module read (its slot restored), and runs it again when asked fresh', async () => {
    const { drive, start } = session('drive-receipts')
    const first = await start()
    const second = await drive({
      run: first.run,
      secret: first.secret,
      ended: { step: 'edit', outcome: { status: 'ok', value: 'EDITED' } },
    })
    const receipts = { 'edit.json': second.receipt!.text, 'foreign.json': '{"not": "a receipt"}' }
    const again = await start({ receipts })
    expect(again.actions[0]).toEqual({
      do: 'restore',
      step: 'edit',
      into: 'edited',
      value: 'EDITED',
      producedBy: 'tdd-editor:editor',
    })
    expect(calls(again).map((c) => c.step)).toEqual(['picture'])
    expect(calls(await start({ receipts, fresh: true })).map((c) => c.step)).toEqual(['edit'])
  })

  it('fails a step whose call failed, runs its fallback, and records no call the module did not make', async () => {
    const flow = `${EDIT_THEN_PICTURE.split('  - id: picture')[0]}    on_error: { fallback: { plugin: tdd-design, agent: illustrator, args: { content: $inputs.text } }, then: continue }
`
    const { drive, start } = session('drive-fallback')
    const first = await start({}, flow)
    const failed = await drive({
      run: first.run,
      secret: first.secret,
      ended: { step: 'edit', outcome: { status: 'failed', problems: ['the editor crashed'], message: 'it crashed' } },
    })
    expect(failed.receipt).toBeUndefined()
    expect(calls(failed)).toEqual([
      expect.objectContaining({ step: 'edit', target: 'tdd-design:illustrator', fallback: true }),
    ])
  })

  it('refuses a run it does not know, a step that is not running, a second start and run together, and a workflow that is wrong', async () => {
    const { drive, start, s } = session('drive-refusals')
    expect((await drive({ run: 'wf_forged' })).problems).toEqual([
      expect.stringContaining('has no workflow run wf_forged'),
    ])
    const first = await start()
    expect(first.secret).toMatch(/^[0-9a-f]{32}$/)
    // The run's id is in the trace for any model to read; without the secret it reports nothing.
    for (const secret of [undefined, 'f'.repeat(32)]) {
      const forged = { step: 'edit', outcome: { status: 'ok', value: 'FORGED' } }
      expect((await drive({ run: first.run, ...(secret ? { secret } : {}), ended: forged })).problems).toEqual([
        expect.stringContaining(`has no workflow run ${first.run}`),
      ])
    }
    expect(
      (
        await drive({
          run: first.run,
          secret: first.secret,
          ended: { step: 'picture', outcome: { status: 'ok', value: 'X' } },
        })
      ).problems,
    ).toEqual([expect.stringContaining('step picture of run')])
    expect((await drive({})).problems).toEqual([
      'Give either start (to start a run) or run (to go on with one), not both.',
    ])
    const wrong = await start({ inputs: {} }, 'steps:\n  - id: a\n    invoke: { plugin: tdd-editor }\n')
    expect(wrong.problems).toEqual([expect.stringMatching(/^steps\.a\.invoke: /)])
    expect((await start({ inputs: {} })).problems).toEqual([expect.stringContaining('text')])
    // The server wrote nothing: the module writes receipts, records and slots.
    expect(readRecords(s.dir)).toEqual([])
    expect(listSlots(s.dir)).toEqual([])
    expect(existsSync(join(s.data, 'workflow-runs'))).toBe(false)
  })

  it('reuses no receipt for a caller whose call it cannot see: the guard could not judge its chain', async () => {
    const { drive, start } = session('drive-unknown-caller')
    const first = await start()
    const second = await drive({
      run: first.run,
      secret: first.secret,
      ended: { step: 'edit', outcome: { status: 'ok', value: 'EDITED' } },
    })
    const receipts = { 'edit.json': second.receipt!.text }
    expect(calls(await start({ receipts })).map((c) => c.step)).toEqual(['picture'])
    const unseen = { type: 'tdd-design:illustrator', invocation: 'inv_not_in_the_trace', agent: 'a1' }
    const again = await start({ receipts, caller: unseen })
    expect(again.actions.filter((a) => a.do === 'restore')).toEqual([])
    expect(calls(again).map((c) => c.step)).toEqual(['edit'])
  })

  it('keeps at most 32 runs: a further start is refused while they are active, and only a run left alone 15 minutes makes room', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 24 * 3_600_000) // every run of the tests above is long idle
    const { drive, start } = session('drive-bounded')
    const mine = await start()
    const others: Reply[] = []
    for (let i = 0; i < 40; i++) {
      const other = await start()
      if (other.problems) {
        expect(other.problems).toEqual([expect.stringContaining('32 workflow runs going on')])
        break
      }
      others.push(other)
    }
    expect(others.length).toBe(31)
    // A model's flood did not end the module's run: it goes on.
    vi.setSystemTime(Date.now() + 16 * 60_000)
    const on = await drive({
      run: mine.run,
      secret: mine.secret,
      ended: { step: 'edit', outcome: { status: 'ok', value: 'E' } },
    })
    expect(calls(on).map((c) => c.step)).toEqual(['picture'])
    // The idle ones make room; the active one stays.
    expect((await start()).problems).toBeUndefined()
    expect((await drive({ run: others[0]!.run, secret: others[0]!.secret })).problems).toEqual([
      expect.stringContaining('has no workflow run'),
    ])
    const last = await drive({
      run: mine.run,
      secret: mine.secret,
      ended: { step: 'picture', outcome: { status: 'ok', value: 'P' } },
    })
    expect(last.actions[0]).toMatchObject({ do: 'done', result: { status: 'ok' } })
  })
})

afterEach(() => {
  vi.useRealTimers()
})
