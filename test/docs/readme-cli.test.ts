// The README's CLI block names every command of the command table, and nothing else, so neither can
// drift: a new command fails this test until the README lists it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { COMMANDS } from '../../src/cli/run-cli.ts'
import { REPO } from '../helpers/cli.ts'

/** The command of each line of the README's "The `switchboard` CLI" block: one word, or two for a subcommand. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8')
  const block = /## The `switchboard` CLI\n\n```text\n([\s\S]*?)\n```/.exec(readme)
  if (!block) throw new Error('README.md has no ```text block under "## The `switchboard` CLI"')
  return block[1]!.split('\n').map((line) => {
    const [, first, second] = /^switchboard (\S+)(?: (\S+))?/.exec(line) ?? []
    if (!first) throw new Error(`README.md, CLI block: "${line}" does not start with "switchboard <command>"`)
    return `${first}${second && /^[a-z|]+$/.test(second) ? ` ${second}` : ''}`
  })
}

describe('the README', () => {
  it('lists every CLI command of the command table, and no other', () => {
    // `workflow check` and `workflow plan` are one entry of the table (`workflow`), with its subcommands.
    const listed = readmeCommands().flatMap((c) =>
      c.startsWith('workflow ') && c !== 'workflow compile'
        ? ['workflow']
        : [c.replace(/ (list\|get\|put\|clear)$/, '')],
    )
    expect([...new Set(listed)].sort()).toEqual(Object.keys(COMMANDS).sort())
  })

  it('names only flags its command takes', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8')
    const block = /## The `switchboard` CLI\n\n```text\n([\s\S]*?)\n```/.exec(readme)![1]!
    for (const line of block.split('\n')) {
      const [, first = '', second = ''] = /^switchboard (\S+)(?: (\S+))?/.exec(line)!
      const entry = COMMANDS[first === 'workflow' && second === 'compile' ? 'workflow compile' : first]!
      for (const [, flag] of line.matchAll(/--([a-z-]+)/g))
        expect(Object.keys(entry.options ?? {}), `${line}: --${flag}`).toContain(flag)
    }
  })

  it('gives the status of the version it describes', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8')
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }
    expect(/\*\*Status \(([\d.]+)\)\.\*\*/.exec(readme)?.[1]).toBe(version.split('.').slice(0, 2).join('.'))
  })
})
