// Every folder in examples/ is run by a test, so the examples break loudly when the format moves.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, REPO } from './helpers/cli.ts'

const EXAMPLES = readdirSync(join(REPO, 'examples'))

describe('example plugins', () => {
  it.each(EXAMPLES)('%s passes `switchboard check --strict` with no findings', async (name) => {
    const result = await cli(['check', join(REPO, 'examples', name), '--strict', '--json'])
    expect(JSON.parse(result.stdout).diagnostics).toEqual([])
    expect(result.code).toBe(0)
  })

  it('are all offered by the marketplace, next to switchboard, with their components and contracts', async () => {
    const result = await cli(['registry', '--marketplace-root', REPO, '--no-installed', '--json'])
    expect(result.code).toBe(0)
    const components = JSON.parse(result.stdout) as Array<{
      id: string
      callable: boolean
      orchestration: { provides: Array<{ name: string; version: string }> } | null
    }>
    expect(components.map((c) => c.id)).toEqual([
      'switchboard:invoke',
      'switchboard:orchestrate',
      'switchboard:plugins',
      'switchboard:run',
      'switchboard:trace',
      'tdd-design:illustrator',
      'tdd-design:palette',
      'tdd-editor:copy-edit',
      'tdd-editor:editor',
      'tdd-growth:distributor',
      'tdd-growth:seo',
      'tdd-growth:summarizer',
      'tdd-tech:tech-writer',
    ])
    expect(components.filter((c) => !c.callable).map((c) => c.id)).toEqual(['tdd-design:palette'])
    expect(
      components
        .flatMap((c) => c.orchestration?.provides ?? [])
        .map((p) => `${p.name}@${p.version}`)
        .sort(),
    ).toEqual(['copy-editing@1.0.0', 'illustration@1.1.0', 'seo-analysis@2.0.0', 'technical-writing@0.4.0'])
  })
  // The demonstration (npm start) runs the example orchestrations: test/e2e/demo.e2e.test.ts.
})

describe('versions', () => {
  it('has one version for package.json, plugin.json, the marketplace entry and the CLI', async () => {
    const { readFileSync } = await import('node:fs')
    const read = (path: string) => JSON.parse(readFileSync(join(REPO, path), 'utf8'))
    const version = read('package.json').version
    expect(read('plugin/.claude-plugin/plugin.json').version).toBe(version)
    expect((await cli(['--version'])).stdout).toBe(`${version}\n`)
  })
})
