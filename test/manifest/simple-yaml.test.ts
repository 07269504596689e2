import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { parseSimpleYaml } from '../../src/manifest/simple-yaml.ts'
import { corpusMarkdownFiles, HAS_CORPUS, warnWithoutCorpus } from '../helpers/corpus.ts'

/** What the registry used before the fast path, for every block: the `yaml` package. */
const viaYaml = (block: string): unknown => {
  try {
    const value = parse(block, { uniqueKeys: false, prettyErrors: false })
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {}
  } catch {
    return 'YAML ERROR'
  }
}

/** The fast path either declines or reads the block exactly as the `yaml` package does. */
function expectSameOrDeclined(block: string): 'fast' | 'declined' {
  const fast = parseSimpleYaml(block)
  if (fast === undefined) return 'declined'
  expect({ block, data: fast }).toEqual({ block, data: viaYaml(block) })
  return 'fast'
}

describe('parseSimpleYaml: the common frontmatter shapes, read as YAML 1.2 reads them', () => {
  it('reads plain, quoted, list and one-level map values', () => {
    const block = [
      'name: code-reviewer',
      'description: "Use when a diff needs review.\\nSays \\"why\\" too"',
      "model: 'sonnet'",
      'color: blue',
      'allowed-tools:',
      '  - Bash(git diff:*)',
      '  - Read',
      'requires:',
      '  tdd-editor: ^1.2.0',
      '  other: ">=2"',
      'empty:',
      '# a comment line',
      '',
    ].join('\n')
    expect(parseSimpleYaml(block)).toEqual({
      name: 'code-reviewer',
      description: 'Use when a diff needs review.\nSays "why" too',
      model: 'sonnet',
      color: 'blue',
      'allowed-tools': ['Bash(git diff:*)', 'Read'],
      requires: { 'tdd-editor': '^1.2.0', other: '>=2' },
      empty: null,
    })
    expectSameOrDeclined(block)
  })

  // Each of these means something else in YAML (or is an error there): the fast path must decline.
  const declined = [
    'version: 1.0',
    'model: null',
    'model: ~',
    'count: 0x1F',
    'x: .inf',
    'description: one: two',
    'description: text # a comment',
    'description: |+\n  kept',
    'description: >2\n  indented',
    'description: > # comment\n  folded',
    'description: >\n\n  leading empty line',
    'description: >\n  one\n    more indented',
    'description: |\n  trailing space \n  next',
    'description: >\n',
    'tools: [Read, "Gr,ep"]',
    'tools: [Read,,]',
    'tools: [,]',
    'tools: [a, [b]]',
    'tools:\n  - [Read]',
    'count: 1234567890123456',
    'count: 0o17',
    'count: 1e3',
    'count: +1',
    'tools: {a: 1}',
    'name: &anchor value',
    'name: *alias',
    'name: !tag value',
    'name: @at',
    'name: `tick`',
    'name: %percent',
    'name: -dash',
    'name: ? question',
    'description: first\n  continued',
    'description:\n  on the next line',
    'name: a\nname: b',
    'requires:\n  a: 1\n  a: 2',
    'tools:\n  - Read\n    - Nested',
    'tools:\n  - Read\n - Less',
    'tools:\n- Read',
    'tools:\n  - key: value',
    'name: "unterminated',
    'name: "bad \\q escape"',
    'name: "a" trailing',
    "name: 'it's'",
    'name:\ttab',
    'name: a\rmodel: b',
    'name: a\r\r\nmodel: b',
    'name: a\u2028b',
    'name: \ufeffa',
    'true: key',
    '__proto__: polluted',
    'key:value',
    `${'k'.repeat(1100)}: long key`,
    `${'k'.repeat(202)}: a key one past the 201 characters read here`,
    '-name: x',
    'na.me: x',
    '...',
  ]
  it.each(declined)('declines %j', (block) => {
    expect(parseSimpleYaml(block)).toBeUndefined()
  })

  it('reads every accepted spelling as the yaml package does', () => {
    const accepted = [
      'name: plain text, with [brackets] and {braces} and a:colon',
      'description: ends with a hash#',
      'description: "tab\\tand slash\\/"',
      "description: 'single ''quoted'' text'",
      'description: "  spaced  "',
      'name: trailing spaces   ',
      'name: ünïcödé – dash',
      'enabled: true\nhidden: False\nmaxTurns: 20\npadded: 007\nversion: 1.2.0',
      'tools: [Read, Grep, Bash(git diff *)]\nnone: []',
      'requires:\n  mcp: [rube]\n  turns: 3',
      'tools:\n  - true\n  - 12',
      'description: >\n  Use this agent when a draft\n  needs review: it reads # and "quotes".\nmodel: sonnet',
      'description: |\n    line one\n    line two\n\nname: x',
      'description: >-\n  stripped\n  folded',
      'description: |-\n  stripped',
      'name: windows\r\ndescription: >\r\n  folded\r\n  lines\r\ntools:\r\n  - Read\r\n',
      'description: >\n  one\n\n  two\n\n\n  three\n\nname: x',
      'description: |\n  one\n\n  two\n',
      'tools: ["Read", "Grep", Bash(git *)]',
      'tools: ["a\\"b"]',
      'allowed-tools: ["Bash(test -f .claude/x.local.md:*)", "Bash(rm .claude/x.md)", "Read(.claude/x.md)"]',
      'allowed-tools: ["Bash(${CLAUDE_PLUGIN_ROOT}/scripts/setup.sh:*)"]',
      'tools: ["a]", " spaced ", "#hash", "x: y", "[", "{a}", "*", "", "\\\\"]',
      'tools:\n    - Read\n    - "Bash(npm test)"\n\n    - Grep',
      '  # indented comment\nname: a',
      `${'k'.repeat(201)}: the longest key read here`,
      `_${'a-9'.repeat(66)}z:   spaced value`,
      'name:',
      'name:   ',
      'tools: [Read,]',
      'tools: [Read, "Grep", ]',
    ]
    for (const block of accepted) expect(expectSameOrDeclined(block), block).toBe('fast')
  })

  it('agrees with the yaml package on random blocks made of tricky pieces', () => {
    const keys = ['name', 'description', 'tools', 'a-b', 'x_y', 'null', 'Name']
    const values = [
      'text',
      'two words',
      '"q"',
      "'s'",
      '"a\\nb"',
      'a: b',
      'a #c',
      'a#c',
      '[x]',
      'x]',
      '{y',
      '1',
      '1.2.3',
      'yes',
      'no',
      'on',
      'True',
      '-x',
      ':x',
      'x:',
      '',
      '  ',
      'é',
      '"',
      "''",
      '""',
      'true',
      'FALSE',
      '12',
      '012',
      '1e3',
      '.5',
      '0o7',
      '[a, b]',
      '[a,b c]',
      '[]',
      '[a,]',
      '[1, 2]',
      '[true]',
      '["x"]',
      '["x", y]',
      '["x y", "1"]',
      '["a: b"]',
      '["a, b"]',
      '["a", ]',
      '["a": b]',
      '["#c", "d]"]',
      '["$" , "{x}"]',
      '[""]',
      '["a"b"]',
      '"\\\\"',
      '"a\\"b"',
      '"x\\ty\\/z\\\\"',
      '"\\q"',
      '"a\\"',
      '"\\n\\n"',
      '"long text, quoted: with a colon"',
    ]
    let seed = 42
    const pick = <T>(list: T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return list[Math.floor(seed / 65536) % list.length]! // the high bits: an LCG's low bits repeat soon
    }
    let fast = 0
    for (let n = 0; n < 3000; n++) {
      const lines: string[] = []
      for (let l = 0; l < 1 + (n % 4); l++) {
        const shape = pick([0, 0, 0, 1, 2, 3, 4])
        if (shape === 0) lines.push(`${pick(keys)}: ${pick(values)}`)
        else if (shape === 1) lines.push(`${pick(keys)}:`, `  - ${pick(values)}`, `  - ${pick(values)}`)
        else if (shape === 2) lines.push(`${pick(keys)}:`, `  ${pick(keys)}: ${pick(values)}`)
        else if (shape === 4)
          lines.push(`${pick(keys)}: ${pick(['|', '>', '|-', '>-', '>+'])}`, `  ${pick(values)}`, `  ${pick(values)}`)
        else lines.push(pick(['', '# c', '  # c', ' ']))
      }
      if (expectSameOrDeclined(lines.join(n % 5 === 0 ? '\r\n' : '\n')) === 'fast') fast++
    }
    expect(fast).toBeGreaterThan(500) // the generator reaches the fast path, not only its refusals
  })
})

describe('parseSimpleYaml: a quoted string or a flow list over the lines after its key', () => {
  it('reads the shapes the corpus writes that way', () => {
    const block = [
      'name: a',
      'description:',
      '  "Solve competition problems, with adversarial',
      "  verification: 'is this proof correct', or",
      '  any #tag."',
      'allowed-tools:',
      '  [',
      '    "Read",',
      '    Grep,',
      '  ]',
      'version: 0.1.0',
    ].join('\n')
    expect(expectSameOrDeclined(block)).toBe('fast')
    expect(parseSimpleYaml(block)).toEqual({
      name: 'a',
      description: "Solve competition problems, with adversarial verification: 'is this proof correct', or any #tag.",
      'allowed-tools': ['Read', 'Grep'],
      version: '0.1.0',
    })
  })

  it('agrees with the yaml package on random lines after a key', () => {
    const pieces = [
      '  "a b',
      '  c: d',
      '  e #f',
      '  g"',
      '  "h"',
      '  "i\\"',
      '  \\"j"',
      '  "k ',
      '  l "',
      '  "',
      '   "m',
      '  [',
      '  [a,',
      '  "b",',
      '  c]',
      '  ]',
      '  ,]',
      '  [x, y, ]',
      '    d,',
      '  "e, f",',
      '  # c',
      '',
      '  - a',
      '  k: v',
      'next: 1',
      '     "deep"',
    ]
    let seed = 11
    const pick = <T>(list: T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return list[Math.floor(seed / 65536) % list.length]! // the high bits: an LCG's low bits repeat soon
    }
    let fast = 0
    for (let n = 0; n < 4000; n++) {
      const lines = ['name: a', 'description:']
      for (let l = 0; l < 1 + (n % 4); l++) lines.push(pick(pieces))
      if (expectSameOrDeclined(lines.join('\n')) === 'fast') fast++
    }
    expect(fast).toBeGreaterThan(300)
  })
})

const FENCE = /^---\s*\n([\s\S]*?)---\s*\n?/

describe.skipIf(!HAS_CORPUS)('parseSimpleYaml on every frontmatter block of ../shared/corpus', () => {
  it('reads each block it accepts exactly as the yaml package does, and accepts most', () => {
    const blocks = corpusMarkdownFiles().flatMap(({ bytes }) => {
      const block = FENCE.exec(bytes.toString('utf8').replace(/^\ufeff/, ''))?.[1]
      return block === undefined ? [] : [block]
    })
    const fast = blocks.filter((block) => expectSameOrDeclined(block) === 'fast').length
    expect(blocks.length).toBeGreaterThan(1000)
    expect(fast / blocks.length).toBeGreaterThan(0.7)
  })
})
warnWithoutCorpus('simple-yaml.test.ts')
