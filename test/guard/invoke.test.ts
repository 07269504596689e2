import { describe, expect, it } from 'vitest'
import {
  INVOKE_INPUT_LIMIT,
  invokeFinished,
  invokeRefused,
  invokeSkill,
  parseInvokeLine,
  readInvokeInput,
  renderInvokeResult,
} from '../../src/guard/core.ts'
import type { Plan } from '../../src/guard/core.ts'

const plan: Plan = {
  target: 'tdd-design:illustrator',
  kind: 'agent',
  tool: 'Agent',
  input: { subagent_type: 'tdd-design:illustrator', prompt: 'content: x', description: 'd' },
  warnings: [],
  fileSlots: [],
}

describe('readInvokeInput', () => {
  it('takes the line as typed, split as a shell would and never expanded', () => {
    expect(readInvokeInput({ line: 'tdd-design:illustrator content="$(rm -rf /)" draft=$article --into art' })).toEqual(
      {
        ok: true,
        request: { target: 'tdd-design:illustrator', pairs: ['content=$(rm -rf /)', 'draft=$article'], into: 'art' },
      },
    )
  })

  it('takes fields: target, args, prompt and into', () => {
    expect(
      readInvokeInput({ target: 'copy-editing@^1', args: { draft: 'Kites' }, prompt: 'Be brief.', into: 'edited' }),
    ).toEqual({
      ok: true,
      request: { target: 'copy-editing@^1', pairs: ['draft=Kites'], prompt: 'Be brief.', into: 'edited' },
    })
  })

  it.each([
    [{ line: 'a:b', target: 'a:b' }, 'give either line, or target with args, prompt and into; not line and target.'],
    [{}, 'nothing to call: give line'],
    [{ target: 'a:b', evil: 1 }, 'unknown field "evil".'],
    [{ line: 42 }, 'line must be a string, not a number.'],
    [{ target: 'a:b', args: ['x'] }, 'args must be an object of named strings'],
    [{ target: 'a:b', args: { n: 3 } }, 'args.n must be a string, not a number; write numbers and lists as text'],
    [{ target: 'a:b', args: { 'a=b': 'x' } }, 'a name has no spaces and no "="'],
    [
      { target: 'a:b', prompt: 'x'.repeat(INVOKE_INPUT_LIMIT + 1) },
      `over the ${INVOKE_INPUT_LIMIT} the invoke tool takes`,
    ],
  ])('refuses %j, naming the field and the fix', (input, problem) => {
    const read = readInvokeInput(input as Record<string, unknown>)
    expect(read.ok).toBe(false)
    expect(!read.ok && read.problem).toContain(problem)
  })

  it('reads --into with nothing after it as an empty name, which the planner refuses', () => {
    expect(parseInvokeLine('a:b x=1 --into')).toEqual({ target: 'a:b', pairs: ['x=1'], into: '' })
  })
})

describe('the invoke result', () => {
  it('puts status first and keeps every key', () => {
    expect(renderInvokeResult(invokeRefused('invalid', 'bad.'))).toBe(
      '{"status":"invalid","target":null,"kind":null,"invocation":null,"value":null,"slot":null,"problems":["bad."],"message":"Switchboard cannot make this call: bad. Usage: <plugin:component | capability@range> [key=value | key=@file | key=$slot ...] [--into slot]."}',
    )
  })

  it('gives the parsed value and the slot of a return that fits', () => {
    expect(
      invokeFinished(plan, {
        invocation: 'toolu_1',
        status: 'completed',
        text: '{"a":1}',
        reading: {
          value: { a: 1 },
          problems: [],
          slot: { name: 'art', type: 'json', value: { a: 1 }, writer: 'return:x' },
        },
      }),
    ).toMatchObject({ status: 'ok', value: { a: 1 }, slot: 'art', invocation: 'toolu_1' })
  })

  it('says contract_mismatch with the problems, and stores nothing', () => {
    expect(
      invokeFinished(plan, {
        invocation: 'toolu_1',
        status: 'completed',
        text: '{"svg":42}',
        reading: { value: { svg: 42 }, problems: ['/svg: must be string'], problem: 'Switchboard: the return ...' },
      }),
    ).toMatchObject({ status: 'contract_mismatch', value: { svg: 42 }, slot: null, problems: ['/svg: must be string'] })
  })

  it('says failed for an agent that did not finish', () => {
    expect(
      invokeFinished(plan, { invocation: 'toolu_1', status: 'stopped', text: '', reading: undefined }),
    ).toMatchObject({ status: 'failed', value: null, problems: ['the agent stopped'] })
  })

  it('hands a command or skill back as the exact Skill call', () => {
    const skill: Plan = {
      target: 'tdd-growth:seo',
      kind: 'command',
      tool: 'Skill',
      input: { skill: 'tdd-growth:seo', args: 'content: x' },
      warnings: [],
      fileSlots: [],
    }
    expect(invokeSkill(skill)).toMatchObject({
      status: 'use_skill_tool',
      call: { tool: 'Skill', input: { skill: 'tdd-growth:seo', args: 'content: x' } },
    })
  })

  it('renders what others wrote inert: no raw line separators or escapes', () => {
    const text = renderInvokeResult(
      invokeFinished(plan, {
        invocation: 'toolu_1',
        status: 'completed',
        text: 'x',
        reading: { value: 'a\u2028b\u001b[2J', problems: [] },
      }),
    )
    expect(text).not.toMatch(/[\u2028\u001b\n]/)
    expect(JSON.parse(text).value).toBe('a\u2028b\u001b[2J')
  })
})
