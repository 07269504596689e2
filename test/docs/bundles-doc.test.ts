// docs/development.md's table of bundles gives each bundle's size budget as scripts/build.mjs sets it: the
// figures drifted from the build's before (found by a docs review), so the page now gives the budget only,
// and this test holds it to the build.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO } from '../helpers/cli.ts'

/** Each bundle's `outfile` and `maxKB`, read from scripts/build.mjs's BUNDLES (running it would build). */
function budgets(): Map<string, number> {
  const build = readFileSync(join(REPO, 'scripts', 'build.mjs'), 'utf8')
  const found = new Map<string, number>()
  for (const [, entry] of build.matchAll(/\{\s*entry:([\s\S]*?)\}/g)) {
    const outfile = /outfile: '([^']+)'/.exec(entry!)?.[1]
    const maxKB = /maxKB: (\d+)/.exec(entry!)?.[1]
    if (outfile && maxKB) found.set(outfile, Number(maxKB))
  }
  return found
}

describe('docs/development.md, the bundles', () => {
  const page = readFileSync(join(REPO, 'docs', 'development.md'), 'utf8')
  const rows = [...budgets()]

  it('reads every budget of the build', () => {
    expect(rows.length).toBeGreaterThanOrEqual(7)
  })

  it.each(rows)('%s: the page gives its budget, %i KB', (outfile, maxKB) => {
    const row = page.split('\n').find((line) => line.startsWith(`| \`${outfile}\``))
    expect(row, `no row for ${outfile}`).toBeDefined()
    expect(row!.split('|').at(-2)!.trim()).toMatch(new RegExp(`^${maxKB} KB\\b`))
  })
})
