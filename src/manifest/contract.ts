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
import { isJsonSchema, SHORT_TYPE } from './contract-schema.ts'
export { contractToJsonSchema, isJsonSchema } from './contract-schema.ts'

const BASE_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'any', 'markdown', 'text', 'json']

/** ` (did you mean "markdown"?)` for a misspelt base type (`markdwon`, `integr[]`), else nothing. */
function didYouMean(type: unknown): string {
  const near = typeof type === 'string' ? nearest(type.replace(/(\[\])?\??$/, ''), BASE_TYPES) : undefined
  return near ? ` (did you mean "${near}"?)` : ''
}

const SHORT_TYPES_HINT =
  'string, number, integer, boolean, object, any, markdown, text, json or "a|b|c" (one of), with [] for a list and ? for optional, e.g. "string[]?"'

const ShortTypeSchema = z.string().regex(SHORT_TYPE, `use a short type: ${SHORT_TYPES_HINT}`)

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
