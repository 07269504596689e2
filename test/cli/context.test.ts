import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { getSlot } from '../../src/context/index.ts'
import { appendRecord, sessionDir } from '../../src/trace/index.ts'
import { runCli } from '../helpers/cli.ts'
import { testdir } from '../helpers/testdir.ts'

describe('switchboard context', () => {
  it('puts, lists, gets and clears slots of the latest session', () => {
    const data = testdir()
    appendRecord(sessionDir(data, 's1'), { e: 'start', agent: 'a', type: 't', ts: 1 })
    const env = { SWITCHBOARD_DATA_DIR: data }
    writeFileSync(join(data, 'draft.md'), '# Kites\nThey fly.')
    expect(runCli(['context', 'put', 'article_draft', `@${join(data, 'draft.md')}`], { env })).toMatchObject({ code: 0, stdout: 'Stored article_draft (text, 17 chars) in session s1.\n' })
    expect(runCli(['context', 'put', 'seo', '{"score": 80}', '--json'], { env }).code).toBe(0)
    expect(getSlot(sessionDir(data, 's1'), 'seo')).toMatchObject({ type: 'json', value: { score: 80 }, writer: 'cli' })
    expect(runCli(['context', 'list'], { env }).stdout).toMatch(/^article_draft {2}text {2}17 chars {2}from cli .*\nseo {2}json {2}\d+ chars {2}from cli/)
    expect(runCli(['context', 'get', 'article_draft'], { env }).stdout).toBe('# Kites\nThey fly.\n')
    expect(runCli(['context', 'get', 'nope'], { env })).toMatchObject({ code: 1, stdout: 'No slot "nope" in session s1. Slots: article_draft, seo.\n' })
    expect(runCli(['context', 'clear', 'seo'], { env }).stdout).toBe('Removed 1 slot from session s1.\n')
    expect(runCli(['context', 'clear'], { env }).stdout).toBe('Removed 1 slot from session s1.\n')
  })

  it('rejects bad names, bad JSON and unknown actions as usage errors', () => {
    const data = testdir()
    appendRecord(sessionDir(data, 's1'), { e: 'start', agent: 'a', type: 't', ts: 1 })
    const env = { SWITCHBOARD_DATA_DIR: data }
    expect(runCli(['context', 'put', '9lives', 'x'], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('is not a slot name') })
    expect(runCli(['context', 'put', 'x', '{oops', '--json'], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('not JSON') })
    expect(runCli(['context', 'frob'], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('use list, get, put or clear') })
    expect(runCli(['context', 'list'], { env: { SWITCHBOARD_DATA_DIR: testdir() } })).toMatchObject({ code: 2, stderr: expect.stringContaining('no session found') })
  })
})
