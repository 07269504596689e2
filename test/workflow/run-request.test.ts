import { describe, expect, it } from 'vitest'
import { readWorkflowRequest } from '../../src/workflow/core.ts'

describe('the invoke tool with a workflow: its request', () => {
  it('takes the line as typed after /switchboard:run: id, input=value words (quoted), --fresh', () => {
    expect(
      readWorkflowRequest({ workflow: 'tdd-editor:illustrate-draft "draft=Two words" style=flat --fresh' }),
    ).toEqual({
      ok: true,
      request: { workflow: 'tdd-editor:illustrate-draft', inputs: { draft: 'Two words', style: 'flat' }, fresh: true },
    })
    expect(readWorkflowRequest({ workflow: 'flows/a.json', inputs: { text: '$x' } })).toEqual({
      ok: true,
      request: { workflow: 'flows/a.json', inputs: { text: '$x' }, fresh: false },
    })
  })

  it('names the field and the fix for each wrong input', () => {
    const problem = (input: Record<string, unknown>): string => {
      const read = readWorkflowRequest(input)
      return read.ok ? 'ok' : read.problem
    }
    expect(problem({ workflow: 'a:b', target: 'x:y' })).toMatch(/^"target" does not go with workflow/)
    expect(problem({ workflow: '' })).toMatch(/^workflow must be a non-empty string/)
    expect(problem({ workflow: 'a:b', inputs: ['x'] })).toMatch(/^inputs must be an object/)
    expect(problem({ workflow: 'a:b', inputs: { n: 3 } })).toMatch(/^inputs\.n must be a string/)
    expect(problem({ workflow: 'a:b', fresh: 'yes' })).toMatch(/^fresh must be true or false/)
    expect(problem({ workflow: 'a:b oops' })).toMatch(/^"oops" is not input=value/)
    expect(problem({ workflow: 'a:b x=1', inputs: { x: '2' } })).toMatch(/^input "x" is given twice/)
  })

  // Found by review: `in` saw Object.prototype's names, so these were "given twice".
  it('takes inputs named like Object.prototype properties as inputs', () => {
    const read = readWorkflowRequest({ workflow: 'a:b constructor=x toString=y __proto__=z' })
    expect(read.ok && { ...read.request.inputs }).toEqual({ constructor: 'x', toString: 'y', ['__proto__']: 'z' })
  })
})
