import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import {
  failsOnlyForNestedMappings,
  fenceOf,
  NESTED_MAPPING_ERROR,
  parseFrontmatter,
  quoteUnsafeValues,
  unreadFrontmatter,
} from '../../src/manifest/frontmatter.ts'
import { corpusMarkdownFiles, HAS_CORPUS, warnWithoutCorpus } from '../helpers/corpus.ts'

/** The yaml package's first error for a block (as parseFrontmatter words it), or undefined when it parses. */
function yamlError(block: string): string | undefined {
  try {
    parse(block, { uniqueKeys: false, prettyErrors: false })
    return undefined
  } catch (thrown) {
    return (thrown as Error).message.split('\n')[0]
  }
}

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

  // Claude Code reads no block from these, silently: Switchboard says why (FRONTMATTER_NOT_READ).
  it('says why a file that opens a --- block has none: a blank line before it, or no closing ---', () => {
    expect(unreadFrontmatter('\n---\nname: a\n---\n')).toBe('a blank line (or spaces) comes before its opening ---')
    expect(unreadFrontmatter('---\nname: a\ndescription: b\n\nBody\n')).toBe('its --- block is never closed')
    for (const fine of ['---\nname: a\n---\n', '# Title\n', '\uFEFF---\nname: a\n---\n', ''])
      expect(unreadFrontmatter(fine)).toBeUndefined()
  })

  it('names a key given twice in one mapping, and not keys of sibling mappings or list items', () => {
    const block = (lines: string[]) => `---\n${lines.join('\n')}\n---\n`
    expect(
      parseFrontmatter(block(['name: a', 'orchestration:', '  callable: false', '  callable: true', 'name: b']))
        .duplicateKeys,
    ).toEqual(['callable', 'name'])
    const siblings = [
      'name: a',
      'orchestration:',
      '  provides:',
      '    - name: copy',
      '      version: 1.0.0',
      '    - name: proof',
      '      version: 2.0.0',
      '  input:',
      '    type: object',
      '  output:',
      '    type: object',
      'description: |',
      '  name: not a key',
      '  name: still text',
    ]
    expect(parseFrontmatter(block(siblings))).toMatchObject({ status: 'parsed' })
    expect(parseFrontmatter(block(siblings)).duplicateKeys).toBeUndefined()
  })

  it('says a block it recovered was indented with tabs, which the fallback turned into spaces', () => {
    const recovered = parseFrontmatter('---\nname: a\norchestration:\n\tcallable: false\n---\n')
    expect(recovered).toMatchObject({
      status: 'recovered',
      data: { orchestration: { callable: false } },
      tabIndented: true,
    })
    expect(parseFrontmatter('---\nname: a: b\n---\n').tabIndented).toBeUndefined()
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

  it('names the line of the file a YAML error is about, and where a quote left open starts', () => {
    // Line 1 is the opening ---: the nested mapping is on line 3, the open quote on line 3 too, though
    // the parser reports it where the block ends.
    expect(parseFrontmatter('---\nname: x\ndescription: one: two\ntools: Read\n---\n')).toMatchObject({
      yamlError: NESTED_MAPPING_ERROR,
      yamlErrorLine: 3,
    })
    expect(
      parseFrontmatter('---\nname: x\ndescription: "Writes \\" things\ntools: Read\nmodel: x\n---\n'),
    ).toMatchObject({
      status: 'dropped',
      yamlError: 'Missing closing "quote',
      yamlErrorLine: 3,
    })
    expect(parseFrontmatter("---\nname: 'it''s'\ndescription: a\n\tb: c\n---\n")).toMatchObject({
      status: 'dropped',
      yamlError: 'Tabs are not allowed as indentation',
      yamlErrorLine: 4,
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

describe('failsOnlyForNestedMappings: a broken block known broken without the yaml package', () => {
  it('is held to the yaml package over every corpus block it claims, and claims the common ones', () => {
    warnWithoutCorpus('failsOnlyForNestedMappings')
    let claimed = 0
    for (const { path, bytes } of corpusMarkdownFiles()) {
      const block = /^\uFEFF?---\s*\n([\s\S]*?)---/.exec(bytes.toString('utf8'))?.[1]
      if (block === undefined || !failsOnlyForNestedMappings(block)) continue
      claimed++
      expect({ path, error: yamlError(block) }).toEqual({ path, error: NESTED_MAPPING_ERROR })
    }
    if (HAS_CORPUS) expect(claimed).toBeGreaterThanOrEqual(10)
  })

  it('agrees with the yaml package on random blocks holding ": " in values', () => {
    const lines = [
      'name: reviewer',
      'description: Use when: tests fail',
      'description: Use when: tests fail # note',
      'description: Use #when: tests fail',
      'description: a: b #c: d',
      'description: a #b: c: d',
      'description: a: #b',
      'description: 精读：一本书: extract',
      'description: é: b',
      'description: ü #x: y',
      'description: 精读 #x: y: z',
      'description: Examples:\\n\\n<example>Daisy: "Please review PR #1234"',
      'description: a: b: c',
      'description: 12: b',
      'description: (see: here)',
      'description: "quoted: fine"',
      'description: a "b: c"',
      "description: a 'b: c'",
      'description: a\\: b',
      'description: -x: y',
      'description: a:b',
      'description: [a: b]',
      'description: {a: b}',
      'tools: Read, Grep',
      'tools:',
      '  - Read',
      '  - a: b',
      '  nested: a: b',
      'model: sonnet',
      'name: reviewer',
      'other: |',
      '  a: b',
      'description: a: b\r',
      'key:value: x',
      'description: ok',
      '  continued: line',
    ]
    let seed = 7
    const pick = (): string => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return lines[Math.floor(seed / 65536) % lines.length]! // the high bits: an LCG's low bits repeat soon
    }
    let claimed = 0
    for (let n = 0; n < 3000; n++) {
      const block = Array.from({ length: 1 + (n % 5) }, pick).join('\n')
      if (!failsOnlyForNestedMappings(block)) continue
      claimed++
      expect({ block, error: yamlError(block) }).toEqual({ block, error: NESTED_MAPPING_ERROR })
    }
    expect(claimed).toBeGreaterThan(150)
  })

  it('reads a recovered block as the path through the yaml package does', () => {
    const block = 'name: a\ndescription: Use when: tests fail\ntools: [Read, Grep]\n'
    expect(failsOnlyForNestedMappings(block)).toBe(true)
    expect(parseFrontmatter(`---\n${block}---\nBody`)).toEqual({
      status: 'recovered',
      data: { name: 'a', description: 'Use when: tests fail', tools: ['Read', 'Grep'] },
      body: 'Body',
      yamlError: yamlError(block),
      yamlErrorLine: 3,
    })
  })
})

describe('fenceOf', () => {
  const FENCE = /^---\s*\n([\s\S]*?)---\s*\n?/
  it('finds what the block expression finds, on random texts', () => {
    const unit = fc.constantFrom(
      '-',
      '-',
      '-',
      '\n',
      '\n',
      ' ',
      '\t',
      '\r',
      '\u00a0',
      '\u2028',
      '\ufeff',
      '\u0085',
      'a',
      ':',
    )
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), fc.boolean(), (text, fenced) => {
        const source = fenced ? `---${text}` : text
        const match = FENCE.exec(source)
        expect(fenceOf(source)).toEqual(match ? { block: match[1], end: match[0].length } : null)
      }),
      { numRuns: 20000 },
    )
  })
})
