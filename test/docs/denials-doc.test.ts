// Every kind of denial the guard gives (the word its reason starts with) is in docs/security.md's table of
// checks and in the orchestrate skill, which tells a model what to do about each: a new kind of denial fails
// this test until both say what it means (a docs review found five the skill did not name).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO } from '../helpers/cli.ts'

/** The words denial reasons start with: every template text in the guard's code that opens with `word: ` (comments aside). */
function denialKinds(): string[] {
  const kinds = new Set<string>()
  for (const domain of ['guard', 'module', 'hooks'])
    for (const file of readdirSync(join(REPO, 'src', domain)).filter((f) => f.endsWith('.ts')))
      for (const line of readFileSync(join(REPO, 'src', domain, file), 'utf8').split('\n'))
        if (!/^\s*(\*|\/\/|\/\*)/.test(line)) for (const [, kind] of line.matchAll(/`([a-z]+): /g)) kinds.add(kind!)
  return [...kinds].sort()
}

/** docs/security.md's table of the guard's checks: its rows, up to the blank line that ends it. */
function checksTable(): string {
  const page = readFileSync(join(REPO, 'docs', 'security.md'), 'utf8')
  const start = page.indexOf('| check | denies when | reason starts with |')
  expect(start).toBeGreaterThan(0)
  return page.slice(start, page.indexOf('\n\n', start))
}

describe('denial reasons', () => {
  const kinds = denialKinds()
  const table = checksTable()
  const skill = readFileSync(join(REPO, 'plugin', 'skills', 'orchestrate', 'SKILL.md'), 'utf8')

  it('are read from the code', () => {
    for (const known of ['busy', 'cycle', 'depth', 'budget', 'private', 'policy', 'missing', 'version', 'context'])
      expect(kinds).toContain(known)
  })

  it.each(kinds)('%s: is in the table of checks and in the orchestrate skill', (kind) => {
    expect(table).toContain(`\`${kind}:`)
    expect(skill).toContain(`\`${kind}:`)
  })
})
