// The invoke tool's `key=@file` for a command or skill target: the Skill call it hands back passes `$key`, so the
// file must be in that slot before the model makes the call. Found by review: the answer came back before the slot
// was written, and the call took what the slot held (another plugin's captured return, or a secret).
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import type { Engine } from '../../src/module/mod-api.ts'
import { invokeTool } from '../../src/module/invoke-tool.ts'
import { openSession } from '../../src/module/session-state.ts'
import { diskEngine } from '../helpers/disk-engine.ts'
import { examplesSnapshot } from '../helpers/module-handlers.ts'
import { testdir } from '../helpers/testdir.ts'

/** A `$` on the disk whose Read answers as the caller's own, and whose stat gives real paths. */
function engine(home: string): Engine {
  const $ = diskEngine({ HOME: home })
  const fs = $.fs as unknown as { stat: (path: string) => Promise<Record<string, unknown>> }
  const stat = fs.stat
  fs.stat = async (path) => ({ ...(await stat(path)), realPath: realpathSync(path) })
  ;($ as unknown as { agent: { call: unknown } }).agent.call = async (call: {
    tool: string
    input: { file_path: string }
  }) =>
    call.tool === 'Read'
      ? { result: { type: 'text', file: { content: readFileSync(call.input.file_path, 'utf8') } } }
      : { deny: 'no' }
  return $
}

it("stores a command's file argument in its slot before handing back the Skill call that names it", async () => {
  const root = testdir()
  const project = join(root, 'project')
  mkdirSync(project, { recursive: true })
  writeFileSync(join(project, 'draft.md'), 'THE USER FILE\n')
  const $ = engine(join(root, 'home'))
  const s = await openSession($, project, { context: '', dataDir: root, snapshot: JSON.parse(examplesSnapshot()) })
  const invoke = async (line: string) =>
    JSON.parse(
      String(
        (
          (await invokeTool(s, $, { tool: 'SwitchboardInvoke', tool_use_id: 't1', line } as never, {
            projectDir: project,
            transcriptPath: undefined,
          })) as { result: unknown }
        ).result,
      ),
    )
  const slotFile = join(root, 'sessions', 's1', 'context', 'content.json')
  const answer = await invoke('tdd-growth:seo content=@draft.md')
  expect(answer).toMatchObject({ status: 'use_skill_tool', call: { input: { args: 'content: $content' } } })
  expect(JSON.parse(readFileSync(slotFile, 'utf8'))).toMatchObject({ value: 'THE USER FILE\n', writer: 'tool' })
  // A slot it may not replace (a secret) refuses the call, and hands back no Skill call.
  await s.writeSlot({ name: 'content', type: 'text', value: 'SECRET', secret: true, writer: 'user', ts: 1 })
  const refused = await invoke('tdd-growth:seo content=@draft.md')
  expect(refused).toMatchObject({ status: 'invalid' })
  expect(refused.call).toBeUndefined()
  expect(JSON.parse(readFileSync(slotFile, 'utf8'))).toMatchObject({ value: 'SECRET' })
})
