// Files a model names (`key=@file`, `input=@file`, a workflow path) get no more than its own Read would
// give. Found by review: the managed settings' drop-ins were not read, a pipe in a settings file's place
// held the MCP server, the check and the read could see two different files, and the CLI's workflow
// commands read `input=@file` unchecked from inside Claude Code.
import { spawn } from 'node:child_process'
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkArgumentFile, readArgumentFile } from '../../src/cli/index.ts'
import { cli } from '../helpers/cli.ts'
import { runIsolated } from '../helpers/isolated.ts'
import { testdir } from '../helpers/testdir.ts'

function project() {
  const root = testdir({ 'proj/notes.md': 'NOTES', 'proj/payroll/2026.csv': 'SALARIES', 'secret/id_rsa': 'SECRET-KEY' })
  const env = { HOME: join(root, 'home'), CLAUDE_PROJECT_DIR: join(root, 'proj') }
  return { root, proj: join(root, 'proj'), env }
}

describe('a file a model names', () => {
  it('is refused by a Read deny rule in a managed-settings.d drop-in, as in managed-settings.json', () => {
    const { root, proj, env } = project()
    const managed = join(root, 'etc')
    mkdirSync(join(managed, 'managed-settings.d'), { recursive: true })
    writeFileSync(
      join(managed, 'managed-settings.d', '10-org.json'),
      JSON.stringify({ permissions: { deny: [`Read(/${join(proj, 'payroll')}/**)`] } }),
    )
    const where = {
      cwd: proj,
      env,
      managed: [join(managed, 'managed-settings.json'), join(managed, 'managed-settings.d', '10-org.json')],
    }
    expect(checkArgumentFile('payroll/2026.csv', where)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('is denied to Read by the rule'),
    })
    expect(checkArgumentFile('notes.md', where).ok).toBe(true)
  })

  // A settings file with a byte order mark, or in UTF-16LE, is one Claude Code reads (docs/claude-code-notes.md
  // "Settings files"); parsed as plain UTF-8 JSON it held no rules, and `@.env` went out (found by review).
  it.each([
    ['UTF-8 with a byte order mark', (json: string) => Buffer.from(`\uFEFF${json}`, 'utf8')],
    ['UTF-16LE', (json: string) => Buffer.from(`\uFEFF${json}`, 'utf16le')],
  ])('is refused by a Read deny rule in a project settings file in %s', (_, encode) => {
    const { proj, env } = project()
    mkdirSync(join(proj, '.claude'), { recursive: true })
    writeFileSync(join(proj, '.env'), 'API_KEY=SECRET')
    writeFileSync(
      join(proj, '.claude', 'settings.json'),
      encode(JSON.stringify({ permissions: { deny: ['Read(./.env)'] } })),
    )
    const read = readArgumentFile('.env', { cwd: proj, env, managed: [] })
    expect(read).toMatchObject({
      ok: false,
      reason: expect.stringContaining('is denied to Read by the rule "Read(./.env)"'),
    })
    expect(readArgumentFile('notes.md', { cwd: proj, env, managed: [] })).toMatchObject({ ok: true, text: 'NOTES' })
  })

  it('is refused at once, unread, where a settings file that may hold deny rules is a pipe', async () => {
    const { proj, env } = project()
    mkdirSync(join(proj, '.claude'), { recursive: true })
    const run = await runIsolated(`
      import { execFileSync } from 'node:child_process'
      import { checkArgumentFile } from './src/cli/argument-file.ts'
      execFileSync('mkfifo', [${JSON.stringify(join(proj, '.claude', 'settings.local.json'))}])
      const access = checkArgumentFile('notes.md', { cwd: ${JSON.stringify(proj)}, env: ${JSON.stringify(env)}, managed: [] })
      console.log(access.ok ? 'read' : access.reason)
    `)
    expect(run.timedOut).toBe(false)
    expect(run.stdout).toContain('cannot be checked against the Read deny rules of')
    expect(run.stdout).toContain('(ENOTREG)')
  })

  it('is read only if it is the very file checked, however fast the path is swapped for a link out', async () => {
    const { root, proj, env } = project()
    const race = join(proj, 'race.md')
    writeFileSync(race, 'PROJECT-TEXT')
    // Another process swaps race.md between a regular file and a link to a secret outside, atomically.
    const swapper = spawn(process.execPath, [
      '-e',
      `const fs = require('fs'); const [race, secret] = ${JSON.stringify([race, join(root, 'secret', 'id_rsa')])};
       for (let i = 0; ; i++) {
         try { fs.rmSync(race + '.l', { force: true }); fs.symlinkSync(secret, race + '.l'); fs.renameSync(race + '.l', race) } catch {}
         try { fs.writeFileSync(race + '.f', 'PROJECT-TEXT'); fs.renameSync(race + '.f', race) } catch {}
       }`,
    ])
    try {
      const seen = new Set<string>()
      const deadline = Date.now() + 3000
      while (Date.now() < deadline) {
        const read = readArgumentFile('race.md', { cwd: proj, env, managed: [] })
        seen.add(read.ok ? read.text : read.reason.includes('changed while') ? 'changed' : 'refused')
        await new Promise((r) => setImmediate(r))
      }
      expect(seen.has('SECRET-KEY')).toBe(false)
      expect(seen.has('PROJECT-TEXT')).toBe(true)
    } finally {
      swapper.kill()
    }
    renameSync(race, `${race}.done`)
    symlinkSync(join(root, 'secret', 'id_rsa'), race)
    expect(readArgumentFile('race.md', { cwd: proj, env, managed: [] })).toMatchObject({ ok: false })
  })

  it("goes into a workflow's inputs from inside Claude Code only as its Read could read it", async () => {
    const { root, proj, env } = project()
    const args = ['workflow', 'plan', 'tdd-editor:illustrate-draft', '--plugin-dir', join(proj, '..', '..')]
    const plugins = [
      '--plugin-dir',
      join(process.cwd(), 'examples', 'tdd-editor'),
      '--plugin-dir',
      join(process.cwd(), 'examples', 'tdd-design'),
      '--no-installed',
    ]
    const secret = `draft=@${join(root, 'secret', 'id_rsa')}`
    const byClaude = await cli([...args.slice(0, 3), secret, ...plugins], {
      env: { ...env, CLAUDECODE: '1' },
      cwd: proj,
    })
    expect(`${byClaude.stdout}${byClaude.stderr}`).not.toContain('SECRET-KEY')
    expect(byClaude.stderr).toContain('is outside the project')
    const fromTerminal = await cli([...args.slice(0, 3), secret, ...plugins], { env, cwd: proj })
    expect(fromTerminal.stdout).toContain('SECRET-KEY')
  })
})

// Found by review: only `deny` rules were read, so a file the person asked to be asked about (`ask`) was read for the
// model without asking: Switchboard cannot ask, so it does not read it.
describe('a file a Read ask rule covers', () => {
  it('is refused on the model path, saying why and what to do, as a deny rule is', () => {
    const root = testdir()
    const project = join(root, 'project')
    mkdirSync(join(project, '.claude'), { recursive: true })
    mkdirSync(join(project, 'secrets'), { recursive: true })
    writeFileSync(join(project, 'secrets', 'prod.env'), 'TOKEN=abc\n')
    writeFileSync(join(project, 'notes.md'), 'notes\n')
    const env = { HOME: join(root, 'home'), CLAUDE_PROJECT_DIR: project }
    const check = (path: string) => checkArgumentFile(path, { cwd: project, env, managed: [] })
    writeFileSync(
      join(project, '.claude', 'settings.json'),
      JSON.stringify({ permissions: { ask: ['Read(./secrets/**)'] } }),
    )
    expect(check('secrets/prod.env')).toEqual({
      ok: false,
      reason: `secrets/prod.env may be read only with your permission (the rule "Read(./secrets/**)" in ${join(project, '.claude', 'settings.json')} asks for it), which Switchboard cannot ask for, so it will not read it. Read the file yourself and pass what is needed, or store it from a terminal: switchboard context put <slot> @<file> --session <id>.`,
    })
    expect(check('notes.md')).toMatchObject({ ok: true })
    writeFileSync(
      join(project, '.claude', 'settings.json'),
      JSON.stringify({ permissions: { deny: ['Read(./secrets/**)'] } }),
    )
    expect(check('secrets/prod.env')).toMatchObject({ ok: false, reason: expect.stringContaining('is denied to Read') })
  })
})
