import { describe, expect, it } from 'vitest'
import { ContractSchema, contractToJsonSchema, isJsonSchema, shortFormProblems } from '../../src/manifest/contract.ts'

describe('contracts', () => {
  it('expands the short form to JSON Schema: required, optional, lists, one-of', () => {
    expect(
      contractToJsonSchema({
        content: 'markdown',
        audience: 'general|technical?',
        tags: 'string[]?',
        score: 'integer',
      }),
    ).toEqual({
      type: 'object',
      properties: {
        content: { type: 'string', contentMediaType: 'text/markdown' },
        audience: { type: 'string', enum: ['general', 'technical'] },
        tags: { type: 'array', items: { type: 'string' } },
        score: { type: 'integer' },
      },
      required: ['content', 'score'],
      additionalProperties: true,
    })
  })

  it('expands a bare type to a schema for the whole value', () => {
    expect(contractToJsonSchema('markdown')).toEqual({ type: 'string', contentMediaType: 'text/markdown' })
    expect(contractToJsonSchema('string[]')).toEqual({ type: 'array', items: { type: 'string' } })
  })

  it('passes JSON Schema through untouched', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } }
    expect(isJsonSchema(schema)).toBe(true)
    expect(contractToJsonSchema(schema)).toBe(schema)
  })

  it('reports short-form fields whose type is not a short type, with the fix', () => {
    expect(shortFormProblems({ a: 'strng', b: 'string' })).toEqual([
      ['a', expect.stringContaining('"strng" is not a short type')],
    ])
  })

  it('rejects a bare type that is not a short type', () => {
    expect(ContractSchema.safeParse('strng').success).toBe(false)
    expect(ContractSchema.safeParse('number[]?').success).toBe(true)
  })
})
