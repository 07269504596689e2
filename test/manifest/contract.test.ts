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
      ['a', expect.stringContaining('"strng" is not a short type (did you mean "string"?)')],
    ])
    // The list and optional marks are kept in the suggestion.
    expect(shortFormProblems({ tags: 'strng[]?' })[0]![1]).toContain('(did you mean "string[]?"?)')
  })

  it('refuses short-form habits inside a JSON Schema, which validators ignore or no value can meet', () => {
    const issues = (contract: unknown) => {
      const parsed = ContractSchema.safeParse(contract)
      return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message])
    }
    // `type` makes the map a JSON Schema: markdown is no JSON type, and summary is ignored.
    expect(issues({ type: 'markdown', summary: 'string' })).toEqual([
      ['type', expect.stringContaining('"markdown" is not a JSON Schema type')],
      [
        'summary',
        expect.stringContaining('"summary: string" reads as a short-form field, but this map is a JSON Schema'),
      ],
    ])
    // A field named like a JSON Schema keyword makes the map a JSON Schema: the message names that key.
    expect(issues({ items: 'string[]', total: 'integer' })).toContainEqual([
      'total',
      expect.stringContaining('this map is a JSON Schema (it has "items", a JSON Schema key)'),
    ])
    // properties: { score: integer } checks nothing at all.
    expect(
      issues({ type: 'object', properties: { score: 'integer', tags: { type: 'array', items: { type: 'text' } } } }),
    ).toEqual([
      ['properties.score', expect.stringContaining('Write { type: integer }')],
      ['properties.tags.items.type', expect.stringContaining('"text" is not a JSON Schema type')],
    ])
    // A well-formed schema, text-valued keywords included, passes.
    expect(
      issues({
        type: 'object',
        title: 'Report',
        properties: { mode: { type: 'string', default: 'text', enum: ['text', 'json'] } },
        required: ['mode'],
      }),
    ).toEqual([])
  })

  it('rejects a bare type that is not a short type', () => {
    expect(ContractSchema.safeParse('strng').success).toBe(false)
    expect(ContractSchema.safeParse('number[]?').success).toBe(true)
  })
})
