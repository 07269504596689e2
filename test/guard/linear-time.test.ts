// What hostile text and forged logs cost the guard. Policy patterns come from policy files a model can
// write and from plugins' manifests; a call log is a file a model's Bash step can write; a report is an
// agent's text. The guard decides every call in one thread (the hooks module's worker, or in settings
// mode the MCP server answering every hook), and Claude Code lets a call whose hook does not answer in
// time run unchecked, strict mode included. Each of these once took minutes; each runs in a child
// process with a time limit, so that, were it slow again, the test fails rather than hangs.
import { describe, expect, it } from 'vitest'
import { matchesPattern } from '../../src/guard/index.ts'
import { extractJson } from '../../src/protocol/core.ts'
import { runIsolated } from '../helpers/isolated.ts'

describe('the guard on hostile input, in linear time', () => {
  it('matches a policy pattern of many stars against an id at once', async () => {
    const run = await runIsolated(`
      import { matchesPattern } from './src/guard/index.ts'
      const stars = '*'.repeat(40)
      console.log(JSON.stringify([
        matchesPattern(stars + ':Z', 'tdd-design:illustrator'),
        matchesPattern(stars + ':illustrator', 'tdd-design:illustrator'),
        matchesPattern('t' + '*d'.repeat(5000) + '*:Z', 'tdd-design:illustrator'),
      ]))
    `)
    expect(run).toEqual({ stdout: '[false,true,false]', timedOut: false })
  })

  it('counts the calls under a chain of 20,000 forged parent links at once', async () => {
    const run = await runIsolated(`
      import { callsUnder, chainOf } from './src/trace/invocations.ts'
      const invocations = new Map()
      for (let i = 0; i < 20000; i++)
        invocations.set('c' + i, { id: 'c' + i, parent: i === 0 ? null : 'c' + (i - 1) })
      // and a forged loop of two, which has no root
      invocations.set('x', { id: 'x', parent: 'y' })
      invocations.set('y', { id: 'y', parent: 'x' })
      console.log(JSON.stringify([callsUnder(invocations, 'c0'), chainOf(invocations, 'c19999').length, chainOf(invocations, 'c19999')[0].id]))
    `)
    expect(run).toEqual({ stdout: '[20000,20000,"c0"]', timedOut: false })
  })

  it('reads a report of many fences and no closing one at once', async () => {
    const run = await runIsolated(`
      import { extractJson } from './src/protocol/core.ts'
      console.log(JSON.stringify(extractJson('x\`\`\`\\n'.repeat(400000))))
    `)
    expect(run).toEqual({ stdout: '{"ok":false}', timedOut: false })
  })

  it('matches patterns as the regular expressions it replaced did', () => {
    const old = (pattern: string, subject: string) =>
      new RegExp(
        `^${pattern
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ).test(subject)
    const ids = ['tdd-design:illustrator', 'a:b', 'ab:ba', 'tdd-a:x', 'aaa:aaa', 'x:']
    const patterns = [
      '*',
      'a*',
      '*a',
      'a*b',
      '*:*',
      'tdd-*:*or',
      'a*a*a',
      '**:b',
      'ab:ba',
      '*a*:*a*',
      'x:*',
      ':*',
      'a**a',
    ]
    for (const id of ids)
      for (const pattern of patterns) {
        const subject = pattern.includes(':') ? id : id.split(':')[0]!
        if (pattern === '*') continue
        expect(matchesPattern(pattern, id), `${pattern} against ${id}`).toBe(old(pattern, subject))
      }
  })

  it('finds a fenced JSON block as the regular expression it replaced did', () => {
    const old = (text: string) => /```(?:json)?\s*\n([\s\S]*?)\n```/.exec(text)?.[1]
    const texts = [
      'Here:\n```json\n{"a": 1}\n```\nDone.',
      '```\n[1, 2]\n```',
      '```js\nx\n```\n```json\n{"b": 2}\n```',
      '```json  \n\n{"c": 3}\n```',
      'no fence {"d": 4}',
      '```json\n{"e": 5}',
      '```json\n\n```',
    ]
    for (const text of texts) {
      const oldValue = (() => {
        const found = old(text)
        try {
          return found === undefined ? undefined : JSON.parse(found)
        } catch {
          return undefined
        }
      })()
      const extracted = extractJson(text)
      if (oldValue !== undefined) expect(extracted, text).toEqual({ ok: true, value: oldValue })
    }
  })

  it('reads a workflow of 80,000 keys at once, and still finds a key given twice', async () => {
    const run = await runIsolated(`
      import { parseWorkflowText } from './src/workflow/index.ts'
      const keys = Array.from({ length: 80000 }, (_, i) => '  k' + i + ': text').join('\\n')
      const many = parseWorkflowText('inputs:\\n' + keys + '\\nsteps: []\\n', '/p/big.yaml')
      const twice = parseWorkflowText('inputs: { a: text }\\nsteps: []\\nsteps: []\\n', '/p/twice.yaml')
      console.log(JSON.stringify([many.diagnostics.some((d) => /unique/.test(d.message)), twice.diagnostics[0].message]))
    `)
    expect(run.timedOut).toBe(false)
    expect(JSON.parse(run.stdout)).toEqual([
      false,
      'line 3, column 1: Map keys must be unique ("steps" is given twice). Fix the YAML syntax.',
    ])
  })

  // Found by review: each read of a slot walked the chain of its writers' conditions, over every step (a
  // 230 KB file of 1,200 steps, 16 reads each, took 57 s), holding the MCP server that answers settings
  // mode's hooks past their timeout, so calls made meanwhile ran unchecked.
  it('checks a workflow of 1,200 chained steps of 16 slot reads each at once', async () => {
    const run = await runIsolated(`
      import { join } from 'node:path'
      import { buildRegistry } from './src/registry/index.ts'
      import { toSnapshot } from './src/registry/snapshot-store.ts'
      import { routeCapability } from './src/resolve/index.ts'
      import { checkWorkflow, parseWorkflowText } from './src/workflow/index.ts'
      import { mergePolicy } from './src/guard/core.ts'
      const reads = Array.from({ length: 16 }, () => '$a').join(' ')
      const lines = ['steps:', '  - {id: s0, invoke: {plugin: tdd-editor, agent: editor, args: {draft: x}}, on_complete: {inject_into: a}, on_error: continue}']
      for (let i = 1; i < 1200; i++)
        lines.push('  - {id: s' + i + ', when: {slot: ' + (i === 1 ? 'a' : 'v' + (i - 1)) + ', exists: true}, invoke: {plugin: tdd-editor, agent: editor, args: {draft: "' + reads + '"}}, on_complete: {inject_into: v' + i + '}}')
      const parsed = parseWorkflowText(lines.join('\\n') + '\\n', '/w/chain.yaml', undefined, { name: 'chain' })
      const pluginDirs = ['tdd-editor', 'tdd-design'].map((p) => join(process.cwd(), 'examples', p))
      const snapshot = toSnapshot(buildRegistry({ cwd: '/tmp', env: { HOME: '/nonexistent' }, installed: false, pluginDirs }))
      const problems = checkWorkflow(parsed.value, { snapshot, route: routeCapability, policy: mergePolicy([], {}) })
      console.log(JSON.stringify(problems.map((p) => p.code)))
    `)
    expect(run).toEqual({ stdout: '[]', timedOut: false })
  })

  // Found by review: yaml's prettyErrors worked out every error's position, and a 256 KB workflow of "!a "
  // (one error per tag) took 140 s in the MCP server that answers settings mode's hooks.
  it('gives up on a workflow of thousands of tags within its time limit', async () => {
    const run = await runIsolated(`
      import { parseWorkflowText } from './src/workflow/read-file.ts'
      const loaded = parseWorkflowText('!a '.repeat(87000) + 'x', '/w/tags.yaml', undefined, { name: 'tags' })
      console.log(loaded.diagnostics[0].message)
    `)
    expect(run.timedOut).toBe(false)
    expect(run.stdout).toMatch(
      /^(reading its YAML took longer than 2000 ms and was stopped|line 1, column \d+: A node can have at most one tag)/,
    )
  })

  it('leaves a notice for a caller where a pipe was put in its place, without waiting for a reader', async () => {
    const run = await runIsolated(`
      import { execFileSync } from 'node:child_process'
      import { mkdirSync, mkdtempSync } from 'node:fs'
      import { tmpdir } from 'node:os'
      import { join } from 'node:path'
      import { leaveNotice, takeNotice } from './src/hooks/caller-notice.ts'
      const session = mkdtempSync(join(tmpdir(), 'sb-notice-'))
      mkdirSync(join(session, 'notices'))
      execFileSync('mkfifo', [join(session, 'notices', 'toolu_1')])
      leaveNotice(session, 'toolu_1', 'the return broke its contract')
      console.log(takeNotice(session, 'toolu_1'))
    `)
    expect(run).toEqual({ stdout: 'the return broke its contract', timedOut: false })
  })
})

// Found by review: a workflow's slot check parsed an argument again for each reference it held, so one argument of
// 24,000 references took minutes (the check runs at every run's start, in the MCP server's tools thread, and over
// every plugin's workflows in doctor, check and registry).
describe('the workflow check on hostile input, in linear time', () => {
  it('checks a step argument of 24,000 slot references at once', async () => {
    const run = await runIsolated(`
      import { parseWorkflowText } from './src/workflow/index.ts'
      import { checkSlots } from './src/workflow/check-slots.ts'
      const writers = Array.from({ length: 30 }, (_, i) =>
        '  - { id: w' + i + ', invoke: { plugin: p, agent: a, args: { draft: x } }, on_complete: { inject_into: v' + i + ' } }')
      const refs = Array.from({ length: 24000 }, (_, i) => '$v' + (i % 30)).join(' ')
      const yaml = 'steps:\\n' + writers.join('\\n') + '\\n  - { id: z, invoke: { plugin: p, agent: a, args: { draft: "' + refs + '" } } }\\n'
      const parsed = parseWorkflowText(yaml, '/tmp/w.yaml')
      console.log(JSON.stringify([parsed.value?.waves.length, checkSlots(parsed.value).length]))
    `)
    expect(run).toEqual({ stdout: '[31,0]', timedOut: false })
  })
})

// Found by review: every reference and directive of a text was looked up against every quoted range, so a prompt of
// 400 KB made of code spans and references held the guard for 18 s (in settings mode, the MCP server answering
// every hook; Claude Code runs a call whose hook does not answer in 10 s unchecked).
describe('references and directives in quoted material, in linear time', () => {
  it('finds none in a megabyte of code spans and references, and the one written outside them', async () => {
    const run = await runIsolated(`
      import { findReferences, readDirective } from './src/context/references.ts'
      const quoted = '\`\`$a\`\`'.repeat(160000)
      console.log(JSON.stringify([
        findReferences(quoted + ' $b').map((r) => r.name),
        readDirective('\`[[switchboard into=x]]\` '.repeat(40000) + '[[switchboard into=kept]]'),
      ]))
    `)
    expect(run.timedOut).toBe(false)
    expect(JSON.parse(run.stdout)).toEqual([['b'], expect.objectContaining({ into: 'kept' })])
  })
})
