// The tools' thread in process (mcp/tools-thread.ts), over the built server bundle that runs both sides.
import { cpSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { toolsOnWorker } from '../../src/mcp/tools-thread.ts'
import { PLUGIN } from '../helpers/cli.ts'
import { testdir } from '../helpers/testdir.ts'

describe('the tools thread', () => {
  // Found by review: a thread whose bundle did not load answers, then ends a moment later; the call made in
  // that moment went to it and failed too, or on a new thread was failed by the old one's exit.
  it('hands the call made right after a failed load to a new thread, which loads the repaired bundle', async () => {
    const mcp = join(testdir(), 'mcp')
    cpSync(join(PLUGIN, 'mcp'), mcp, { recursive: true })
    writeFileSync(join(mcp, 'tools.mjs'), 'export const callTool = (')
    process.env.SWITCHBOARD_DATA_DIR ??= testdir()
    const call = toolsOnWorker(pathToFileURL(join(mcp, 'server.mjs')))
    await expect(call('context_list', {})).rejects.toThrow(/did not load/)
    cpSync(join(PLUGIN, 'mcp', 'tools.mjs'), join(mcp, 'tools.mjs'))
    const answers = await Promise.allSettled([call('context_list', {}), call('context_list', {})])
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled'])
  })

  // A thread started before any call (server.ts, where the hooks module runs) whose bundle does not load
  // answers the first call with why, and the next call loads the repaired bundle.
  it('started warm over a damaged bundle, says so at the first call, then recovers', async () => {
    const mcp = join(testdir(), 'mcp')
    cpSync(join(PLUGIN, 'mcp'), mcp, { recursive: true })
    writeFileSync(join(mcp, 'tools.mjs'), 'export const callTool = (')
    process.env.SWITCHBOARD_DATA_DIR ??= testdir()
    const call = toolsOnWorker(pathToFileURL(join(mcp, 'server.mjs')), { warm: true })
    await new Promise((done) => setTimeout(done, 500)) // the warm thread's load fails with no call waiting
    await expect(call('context_list', {})).rejects.toThrow(/did not load|stopped/)
    cpSync(join(PLUGIN, 'mcp', 'tools.mjs'), join(mcp, 'tools.mjs'))
    await expect(call('context_list', {})).resolves.toMatchObject({ text: expect.any(String) })
  })
})
