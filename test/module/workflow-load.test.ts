// Which workflow file the invoke tool runs when the caller names a path: the caller's own Read decides,
// and a path outside the project is refused alike whether or not a file is there, so the tool is no
// probe of the file system (a plugin agent without Read or Bash could otherwise map the machine).
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { workflowReader } from '../../src/module/invoke-call.ts'
import type { Engine } from '../../src/module/mod-api.ts'
import { loadWorkflow } from '../../src/module/workflow-load.ts'
import type { RegistrySnapshot } from '../../src/registry/snapshot-format.ts'

/** `$` on this machine's files, whose Read tool reads any file it is given (the caller may Read it). */
function machine() {
  const reads: string[] = []
  const $ = {
    fs: {
      stat: async (path: string) => {
        const stat = statSync(path)
        return {
          kind: stat.isFile() ? 'file' : 'dir',
          size: stat.size,
          mtimeMs: stat.mtimeMs,
          realPath: realpathSync(path),
        }
      },
    },
    agent: {
      call: async ({ input }: { input: { file_path: string } }) => {
        reads.push(input.file_path)
        const content = readFileSync(input.file_path, 'utf8')
        const lines = content.split('\n').length
        return { result: { type: 'text', file: { content, numLines: lines, totalLines: lines } } }
      },
    },
  } as unknown as Engine
  return { $, reads }
}

const SNAPSHOT = { plugins: [] } as unknown as RegistrySnapshot
const WORKFLOW = 'steps:\n  - id: one\n    invoke: { plugin: a, agent: b }\n'

function folders() {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'sb-wf-load-')))
  const project = join(root, 'project')
  const outside = join(root, 'outside')
  mkdirSync(project)
  mkdirSync(outside)
  writeFileSync(join(project, 'mine.yaml'), WORKFLOW)
  writeFileSync(join(outside, 'secret-plans.yaml'), WORKFLOW)
  symlinkSync(join(outside, 'secret-plans.yaml'), join(project, 'link.yaml'))
  return { project, outside }
}

async function load(spec: string, project: string) {
  const { $, reads } = machine()
  const loaded = await loadWorkflow($, SNAPSHOT, spec, project, 4, workflowReader($, undefined, project))
  return { loaded, reads }
}

const problemOf = (loaded: unknown) => (loaded as { problems: string[] }).problems.join(' ')

describe('a workflow named by its path in the invoke tool', () => {
  it('reads a file inside the project as the caller would, and keeps its receipts by its real path', async () => {
    const { project } = folders()
    const { loaded, reads } = await load('mine.yaml', project)
    expect(loaded).toMatchObject({ source: { text: WORKFLOW, file: join(project, 'mine.yaml') } })
    expect(reads).toEqual([join(project, 'mine.yaml')])
  })

  it('refuses a path outside the project the same way whether or not a file is there', async () => {
    const { project, outside } = folders()
    const there = await load(join(outside, 'secret-plans.yaml'), project)
    const absent = await load(join(outside, 'no-such-plans.yaml'), project)
    const relative = await load('../outside/no-such-plans.yaml', project)
    for (const { loaded, reads } of [there, absent, relative]) {
      expect(problemOf(loaded)).toContain('is outside the project')
      expect(reads).toEqual([])
    }
    // Same words but for the path the caller gave.
    expect(problemOf(there.loaded).replaceAll('secret-plans', 'X')).toBe(
      problemOf(absent.loaded).replaceAll('no-such-plans', 'X'),
    )
  })

  it('does not tell where a link inside the project leads', async () => {
    const { project, outside } = folders()
    const { loaded, reads } = await load('link.yaml', project)
    expect(problemOf(loaded)).toContain('link.yaml is outside the project')
    expect(problemOf(loaded)).not.toContain(outside)
    expect(reads).toEqual([])
  })

  it('says a file inside the project is missing', async () => {
    const { project } = folders()
    const { loaded } = await load('nope.yaml', project)
    expect(problemOf(loaded)).toContain('cannot read nope.yaml')
    expect(problemOf(loaded)).toContain('no such file')
  })
})
