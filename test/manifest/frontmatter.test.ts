import { describe, expect, it } from 'vitest'
import { parseFrontmatter, quoteUnsafeValues } from '../../src/manifest/frontmatter.ts'

describe('parseFrontmatter, as Claude Code reads it', () => {
  it('parses a plain block and returns the body after it', () => {
    expect(parseFrontmatter('---\nname: a\ndescription: b\n---\nBody\n')).toEqual({
      status: 'parsed',
      data: { name: 'a', description: 'b' },
      body: 'Body\n',
    })
  })

  it('sees no frontmatter when the file does not start with ---', () => {
    expect(parseFrontmatter('\n---\nname: a\n---\n').status).toBe('absent')
    expect(parseFrontmatter('# Title\n').status).toBe('absent')
  })

  it('closes the block at the first --- anywhere, even mid-line', () => {
    expect(parseFrontmatter('---\ndescription: value with a---b inside\n---\n')).toMatchObject({
      data: { description: 'value with a' },
      body: 'b inside\n---\n',
    })
  })

  it('recovers an unquoted ": " in a one-line value by quoting it', () => {
    const result = parseFrontmatter('---\ndescription: Use when: tests fail, e.g. "npm test"\ntools: Read\n---\n')
    expect(result).toMatchObject({
      status: 'recovered',
      data: { description: 'Use when: tests fail, e.g. "npm test"', tools: 'Read' },
    })
    expect(result.yamlError).toBeTruthy()
  })

  it('drops every field when the YAML cannot be recovered (unindented second line)', () => {
    expect(parseFrontmatter('---\nname: x\ndescription: one: two\nthree\n---\nB')).toMatchObject({
      status: 'dropped',
      data: {},
      body: 'B',
    })
  })

  it('drops every field of a CRLF file with a broken line, because the fallback does not match \\r', () => {
    expect(parseFrontmatter('---\r\ndescription: a: b\r\n---\r\n').status).toBe('dropped')
  })

  it('strips a byte order mark and reads CRLF files', () => {
    expect(parseFrontmatter('\uFEFF---\ndescription: bom\n---\n').data).toEqual({ description: 'bom' })
    expect(parseFrontmatter('---\r\ndescription: crlf\r\n---\r\nx').data).toEqual({ description: 'crlf' })
  })

  it('treats an unquoted " #" as a YAML comment, as Claude Code does', () => {
    expect(parseFrontmatter('---\ndescription: Valid YAML with #hash in it\n---\n').data).toEqual({
      description: 'Valid YAML with',
    })
  })

  it('yields empty data when the block is a list or empty', () => {
    expect(parseFrontmatter('---\n- a\n- b\n---\n').data).toEqual({})
    expect(parseFrontmatter('---\n---\nbody').data).toEqual({})
  })
})

describe('quoteUnsafeValues', () => {
  it('quotes only unindented key lines whose value holds YAML punctuation or ": "', () => {
    expect(quoteUnsafeValues('a: x: y\nb: plain\n  c: d: e\nd: "quoted: ok"\ne: [x, y]\nf: back\\slash "q" @at')).toBe(
      'a: "x: y"\nb: plain\n  c: d: e\nd: "quoted: ok"\ne: [x, y]\nf: "back\\\\slash \\"q\\" @at"',
    )
  })

  it('leaves keys with digits alone, as Claude Code does', () => {
    expect(quoteUnsafeValues('description2: a: b')).toBe('description2: a: b')
  })
})
