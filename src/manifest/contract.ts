/**
 * Input and output contracts. Authors write either a JSON Schema (draft 2020-12) or a short form
 * that expands to one:
 *
 *   input:                         output: markdown          output:
 *     content: string                                          score: number
 *     tone: "formal|casual?"                                    issues: string[]
 *     tags: string[]?
 *
 * A contract is JSON Schema when it has one of the keys in JSON_SCHEMA_MARKERS; otherwise every key
 * is a field name and every value a short type (or the JSON Schema of that one field). A field that
 * must be called `type` therefore needs the full JSON Schema form.
 */
import { z } from 'zod'
import { nearest } from '../common/core.ts'
import { isJsonSchema, JSON_SCHEMA_MARKERS, SHORT_TYPE } from './contract-schema.ts'
export { contractToJsonSchema, isJsonSchema } from './contract-schema.ts'

const BASE_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'any', 'markdown', 'text', 'json']

/** ` (did you mean "markdown"?)` for a misspelt base type (`markdwon`, `integr[]`), else nothing. */
function didYouMean(type: unknown): string {
  if (typeof type !== 'string') return ''
  // The list and optional marks kept: "strng[]?" means "string[]?".
  const suffix = /(\[\])?\??$/.exec(type)?.[0] ?? ''
  const near = nearest(type.slice(0, type.length - suffix.length), BASE_TYPES)
  return near ? ` (did you mean "${near}${suffix}"?)` : ''
}

const SHORT_TYPES_HINT =
  'string, number, integer, boolean, object, any, markdown, text, json or "a|b|c" (one of), with [] for a list and ? for optional, e.g. "string[]?"'

const ShortTypeSchema = z.string().regex(SHORT_TYPE, {
  error: (issue) => `"${String(issue.input)}" is not a short type${didYouMean(issue.input)}. Use ${SHORT_TYPES_HINT}`,
})

/**
 * A field map's types are checked here, with the block (not only by `switchboard check`): a typo
 * (`markdwon`) makes the block invalid, so the registry, `doctor` and `describe` say so, and the
 * component stays closed until it is fixed, rather than callable with a contract nothing can meet.
 */
export const ContractSchema = z
  .union([ShortTypeSchema, z.record(z.string(), z.unknown())], {
    error: 'a contract is a short type such as "markdown", a map of field: type, or a JSON Schema object',
  })
  .superRefine((contract, context) => {
    for (const [field, message] of shortFormProblems(contract))
      context.addIssue({ code: 'custom', message, path: [field] })
    if (typeof contract !== 'string' && isJsonSchema(contract))
      for (const [path, message] of jsonSchemaProblems(contract, []))
        context.addIssue({ code: 'custom', message, path })
  })
export type Contract = z.infer<typeof ContractSchema>

/** Problems in a short-form field map, as `[field, message]` pairs (empty when it is fine). */
export function shortFormProblems(contract: string | Record<string, unknown>): Array<[string, string]> {
  if (typeof contract === 'string' || isJsonSchema(contract)) return []
  const problems: Array<[string, string]> = []
  for (const [field, type] of Object.entries(contract)) {
    if (
      typeof type === 'string'
        ? !SHORT_TYPE.test(type)
        : typeof type !== 'object' || type === null || Array.isArray(type)
    ) {
      problems.push([
        field,
        `"${String(type)}" is not a short type${didYouMean(type)}. Use ${SHORT_TYPES_HINT}; or give this field a JSON Schema object`,
      ])
    }
  }
  return problems
}

const JSON_TYPES = ['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']
/** Keywords whose value may be text: a short type under any other key of a JSON Schema is out of place. */
const TEXT_KEYWORDS = new Set([
  '$schema',
  '$id',
  '$ref',
  '$anchor',
  '$comment',
  'title',
  'description',
  'type',
  'format',
  'pattern',
  'contentMediaType',
  'contentEncoding',
  '$dynamicRef',
  '$dynamicAnchor',
  'default',
  'const',
])

/**
 * Short-form habits inside a JSON Schema, which validators ignore or can never meet: `type: markdown`
 * (no value has it), `properties: { score: integer }` (checks nothing), and a `summary: string` field
 * beside `type`, which makes the whole map a JSON Schema. Walks properties, items and the combinators.
 */
function jsonSchemaProblems(schema: Record<string, unknown>, at: string[]): Array<[string[], string]> {
  const problems: Array<[string[], string]> = []
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type]
  for (const type of types)
    if (typeof type !== 'string' || !JSON_TYPES.includes(type))
      problems.push([
        [...at, 'type'],
        `"${String(type)}" is not a JSON Schema type (${JSON_TYPES.join(', ')}), so no value can match it. ${BASE_TYPES.includes(String(type)) ? `"${String(type)}" is a short type: write the contract in short form (e.g. output: ${String(type)}), or type: string here` : 'Use one of those'}`,
      ])
  for (const [key, value] of Object.entries(schema))
    if (typeof value === 'string' && !TEXT_KEYWORDS.has(key) && SHORT_TYPE.test(value))
      problems.push([
        [...at, key],
        `"${key}: ${value}" reads as a short-form field, but this map is a JSON Schema (it has "${Object.keys(schema).find((k) => (JSON_SCHEMA_MARKERS as readonly string[]).includes(k)) ?? 'a JSON Schema key'}", a JSON Schema key), which ignores it. Put the field under properties as { type: ... }, or write the whole contract in short form`,
      ])
  const properties = schema.properties
  if (properties !== undefined && (typeof properties !== 'object' || properties === null || Array.isArray(properties)))
    problems.push([[...at, 'properties'], 'properties is a map of field: JSON Schema'])
  else if (properties)
    for (const [field, value] of Object.entries(properties)) {
      if (typeof value === 'string')
        problems.push([
          [...at, 'properties', field],
          `"${value}" is a short type, which JSON Schema does not read here (it checks nothing). Write { type: ${JSON_TYPES.includes(value) ? value : 'string'} }, or write the whole contract in short form`,
        ])
      else if (value && typeof value === 'object' && !Array.isArray(value))
        problems.push(...jsonSchemaProblems(value as Record<string, unknown>, [...at, 'properties', field]))
    }
  for (const key of ['items', 'additionalProperties'] as const) {
    const value = schema[key]
    if (value && typeof value === 'object' && !Array.isArray(value))
      problems.push(...jsonSchemaProblems(value as Record<string, unknown>, [...at, key]))
  }
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const list = schema[key]
    if (Array.isArray(list))
      list.forEach((value, index) => {
        if (value && typeof value === 'object' && !Array.isArray(value))
          problems.push(...jsonSchemaProblems(value as Record<string, unknown>, [...at, key, String(index)]))
      })
  }
  return problems
}
