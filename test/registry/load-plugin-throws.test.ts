import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { buildRegistry } from '../../src/registry/index.ts'
import { testdir } from '../helpers/testdir.ts'

// A plugin whose reading throws past every bound (a parser's stack overflow, say), simulated at its last step.
vi.mock('../../src/registry/scan-workflows.ts', async (original) => {
  const actual = await original<typeof import('../../src/registry/scan-workflows.ts')>()
  return {
    ...actual,
    scanWorkflows: (...args: Parameters<typeof actual.scanWorkflows>) => {
      if (args[0] === 'boom') throw new Error('simulated')
      return actual.scanWorkflows(...args)
    },
  }
})

const AGENT = '---\nname: helper\ndescription: Helps.\n---\nHelp.\n'

describe('a plugin whose reading throws', () => {
  it('leaves only its folder watched, the paths read before the throw taken back, and the others intact', () => {
    const root = testdir({
      'before/.claude-plugin/plugin.json': { name: 'before' },
      'before/agents/helper.md': AGENT,
      'boom/.claude-plugin/plugin.json': { name: 'boom' },
      'boom/agents/helper.md': AGENT,
      'after/.claude-plugin/plugin.json': { name: 'after' },
      'after/agents/helper.md': AGENT,
    })
    const registry = buildRegistry({
      cwd: root,
      env: { HOME: join(root, 'home') },
      installed: false,
      pluginDirs: ['before', 'boom', 'after'].map((name) => join(root, name)),
    })
    const boom = join(root, 'boom')
    expect(registry.watched.filter((path) => path === boom || path.startsWith(`${boom}/`))).toEqual([boom])
    for (const name of ['before', 'after']) expect(registry.watched).toContain(join(root, name, 'agents', 'helper.md'))
    expect(registry.components.map((c) => c.id)).toEqual(['after:helper', 'before:helper'])
    expect(registry.diagnostics.map((d) => [d.code, d.file])).toContainEqual(['SCAN_LIMIT_REACHED', boom])
  })
})
