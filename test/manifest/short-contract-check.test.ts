// The module's short-form contract checker held to the JSON Schema validator (manifest/validate-contract.ts)
// over random schemas of the keywords it reads and random values: the same problems, word for word, in
// the same order. Anything else it must decline (undefined), for the validator to answer.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { contractToJsonSchema } from '../../src/manifest/contract-schema.ts'
import type { JsonSchema } from '../../src/manifest/contract-schema.ts'
import { shortContractProblems } from '../../src/manifest/short-contract-check.ts'
import { contractProblems } from '../../src/manifest/validate-contract.ts'
import { examplesRegistry } from '../helpers/workflows.ts'

// Keys that need escaping in an instance location (/, ~, #, a space, accents) beside plain ones.
const KEYS = ['title', 'score', 'x/y', 't~1', '#h', 'é ü', 'a.']
const key = fc.constantFrom(...KEYS)
const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const

const { schema } = fc.letrec<{ schema: JsonSchema }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant({}),
    fc.constantFrom(...TYPES).map((type) => ({ type })),
    fc.uniqueArray(fc.constantFrom('happy', 'sad', '1', 'é'), { minLength: 1 }).map((options) => ({
      type: 'string',
      enum: options,
    })),
    fc.constantFrom('text/markdown', 'text/plain').map((media) => ({ type: 'string', contentMediaType: media })),
    tie('schema').map((items) => ({ type: 'array', items })),
    fc
      .tuple(fc.dictionary(key, tie('schema'), { maxKeys: 4 }), fc.uniqueArray(key, { maxLength: 4 }))
      .map(([properties, required]) => ({ type: 'object', properties, required, additionalProperties: true })),
  ),
}))

const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, 1, -2, 1.5, 2.0, 1e21, '', 'happy', 'sad', 'é', '1'),
    fc.string(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
}))

describe('shortContractProblems', () => {
  it('says what the validator says, for every schema of the keywords it reads and any value', () => {
    fc.assert(
      fc.property(schema, value, (s, v) => {
        expect(shortContractProblems(s, v)).toEqual(contractProblems(s, v))
      }),
      { numRuns: 3000 },
    )
  })

  it('reads every short-form contract, and the examples', () => {
    const short = fc.oneof(
      fc.constantFrom('string', 'number', 'integer', 'boolean', 'object', 'any', 'markdown', 'text', 'json', 'a|b'),
      fc.constantFrom('string[]', 'integer[]', 'a|b[]', 'json?', 'object[]?'),
    )
    fc.assert(
      fc.property(fc.dictionary(key, short, { maxKeys: 5 }), (contract) => {
        expect(shortContractProblems(contractToJsonSchema(contract), {})).toBeDefined()
      }),
    )
    const outputs = examplesRegistry()
      .components.map((c) => c.orchestration?.output)
      .filter((o) => o !== undefined)
    expect(outputs.length).toBeGreaterThan(2)
    for (const output of outputs) expect(shortContractProblems(contractToJsonSchema(output), {})).toBeDefined()
  })

  it('declines every other schema, for the validator to answer', () => {
    for (const other of [
      { type: 'string', minLength: 2 },
      { type: ['string', 'null'] },
      { $ref: '#/$defs/x' },
      { anyOf: [{ type: 'string' }] },
      { type: 'object', properties: { a: { type: 'string', format: 'email' } } },
      { type: 'object', additionalProperties: false },
      { type: 'array', items: [{ type: 'string' }] },
      { type: 'string', enum: [1, 2] },
      { type: 'markdown' },
    ])
      expect(shortContractProblems(other, 'x')).toBeUndefined()
  })
})
