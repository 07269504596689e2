import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { listFolder, listPluginFolder } from '../../src/registry/scan-components.ts'

const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'list-folder-'))
  made.push(dir)
  return dir
}

describe('listPluginFolder', () => {
  it('says a folder is one, with its entries, and that a file or nothing is not', () => {
    const dir = folder()
    mkdirSync(join(dir, 'agents'))
    writeFileSync(join(dir, 'file'), 'x')
    const listed = listPluginFolder(dir)
    expect(listed.folder).toBe(true)
    expect(listed.entries?.map((entry) => entry.name).sort()).toEqual(['agents', 'file'])
    expect(listPluginFolder(join(dir, 'file'))).toEqual({ folder: false })
    expect(listPluginFolder(join(dir, 'absent'))).toEqual({ folder: false })
    expect(listPluginFolder(join(dir, 'file', 'below'))).toEqual({ folder: false })
  })
})

describe('listFolder', () => {
  it('answers from the entries given, as from its own listing', () => {
    const dir = folder()
    mkdirSync(join(dir, 'skills'))
    const given = listFolder(dir, listPluginFolder(dir).entries)
    const own = listFolder(dir)
    for (const top of [given, own]) {
      expect(top.names).toEqual(['skills'])
      expect(top.isDirectory('skills')).toBe(true)
      expect(top.isFile('skills')).toBe(false)
    }
  })

  it('lacks a name only where a listing shows nothing of it in any case', () => {
    const dir = folder()
    mkdirSync(join(dir, '.Claude-Plugin'))
    expect(listFolder(dir).lacks('.claude-plugin')).toBe(false)
    expect(listFolder(dir).lacks('hooks')).toBe(true)
    // A folder that could not be listed lacks nothing: the files in it may still open.
    expect(listFolder(join(dir, 'absent')).lacks('.claude-plugin')).toBe(false)
  })
})
