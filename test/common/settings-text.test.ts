import { describe, expect, it } from 'vitest'
import { settingsText, settingsTextOfBase64 } from '../../src/common/core.ts'
import { readJsonFile } from '../../src/registry/read-json.ts'
import { testdir } from '../helpers/testdir.ts'

const json = JSON.stringify({ env: { CLAUDE_CONFIG_DIR: '/elsewhere' }, note: 'café ☕ 𝄞' })
const utf16le = (text: string) => Buffer.from(text, 'utf16le')
const BOM8 = Buffer.from([0xef, 0xbb, 0xbf])

// What Claude Code 2.1.197 and 2.1.332 read as JSON, probed with a project settings file's env block.
const read = {
  'plain UTF-8': Buffer.from(json),
  'UTF-8 with a byte order mark': Buffer.concat([BOM8, Buffer.from(json)]),
  'UTF-16LE with its byte order mark': utf16le(`\uFEFF${json}`),
}
// ...and what they did not (their env block was not applied).
const unread = {
  'UTF-16LE without a mark': utf16le(json),
  'UTF-16BE with its mark': utf16le(`\uFEFF${json}`).swap16(),
  'UTF-8 with two marks': Buffer.concat([BOM8, BOM8, Buffer.from(json)]),
}

describe('settingsText', () => {
  it.each(Object.entries(read))('reads %s as Claude Code does', (_, bytes) => {
    expect(JSON.parse(settingsText(bytes))).toEqual(JSON.parse(json))
    expect(JSON.parse(settingsTextOfBase64(bytes.toString('base64')))).toEqual(JSON.parse(json))
  })

  it.each(Object.entries(unread))('reads %s as no JSON, as Claude Code does', (_, bytes) => {
    expect(() => JSON.parse(settingsText(bytes))).toThrow()
    expect(settingsTextOfBase64(bytes.toString('base64'))).toBe(settingsText(bytes))
  })

  it('drops a trailing odd byte of a UTF-16LE file and keeps characters past the first chunk', () => {
    const long = `{"x":"${'é'.repeat(20_000)}"}`
    expect(settingsText(Buffer.concat([utf16le(`\uFEFF${long}`), Buffer.from([0x41])]))).toBe(long)
  })

  it("reads Claude Code's JSON files so (installed plugins, settings, manifests)", () => {
    const dir = testdir({ 'settings.json': utf16le(`\uFEFF${JSON.stringify({ enabledPlugins: { 'a@m': true } })}`) })
    expect(readJsonFile(`${dir}/settings.json`, 'SETTINGS_UNREADABLE')).toMatchObject({
      ok: true,
      value: { enabledPlugins: { 'a@m': true } },
    })
  })
})
