// docs/patterns.md cannot rot: every YAML block is a workflow that passes `workflow check` over the
// example plugins, and every file the page names as an example or a proof exists, so a pattern keeps
// pointing at something a test runs.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkWorkflow, parseWorkflowText } from '../../src/workflow/index.ts'
import { REPO } from '../helpers/cli.ts'
import { context } from '../helpers/workflows.ts'

const PAGE = readFileSync(join(REPO, 'docs', 'patterns.md'), 'utf8')
const yaml = [...PAGE.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m, i) => ({
  name: `yaml block ${i + 1}: ${m[1]!.split('\n')[0]}`,
  text: m[1]!,
}))
const tests = [...new Set([...PAGE.matchAll(/`(test\/[\w./-]+\.test\.ts)`/g)].map((m) => m[1]!))]
const links = [...new Set([...PAGE.matchAll(/\]\((\.\.\/[^)#]+|[\w-]+\.md)(?:#[^)]*)?\)/g)].map((m) => m[1]!))]

describe('docs/patterns.md', () => {
  it('has patterns, each with what proves it', () => {
    const patterns = PAGE.split('\n## ')
      .slice(1)
      .filter((s) => !s.startsWith('Anti-patterns'))
    expect(patterns.map((s) => s.split('\n')[0])).toEqual([
      'Handoff',
      'Pass context by reference',
      'Fan-out and fan-in',
      'Capability routing',
      'Fallbacks',
      'Bounded review loops',
      'Budgets',
      'Resume without redoing work',
    ])
    for (const section of patterns) expect(section, section.split('\n')[0]).toMatch(/\*\*Proven by\*\*: `test\//)
    expect(yaml.length).toBeGreaterThanOrEqual(2)
  })

  it.each(yaml)('$name passes workflow check, with no warning (a reader copies it)', ({ text }) => {
    const read = parseWorkflowText(text, 'docs/patterns.md')
    expect(read.diagnostics).toEqual([])
    expect(checkWorkflow(read.value!, context())).toEqual([])
  })

  it.each(tests)('names %s, which exists', (file) => {
    expect(existsSync(join(REPO, file))).toBe(true)
  })

  it.each(links)('links %s, which exists', (link) => {
    expect(existsSync(join(REPO, 'docs', link))).toBe(true)
  })
})
