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
import { isJsonSchema, SHORT_TYPE } from './contract-schema.ts'
export { contractToJsonSchema, isJsonSchema } from './contract-schema.ts'

const ShortTypeSchema = z
  .string()
  .regex(
    SHORT_TYPE,
    'use a short type: string, number, integer, boolean, object, any, markdown, "a|b|c" (one of), with [] for a list and ? for optional, e.g. "string[]?"',
  )

export const ContractSchema = z.union([ShortTypeSchema, z.record(z.string(), z.unknown())], {
  error: 'a contract is a short type such as "markdown", a map of field: type, or a JSON Schema object',
})
export type Contract = z.infer<typeof ContractSchema>

/** Problems in a short-form field map, as `[field, message]` pairs (empty when it is fine). */
export function shortFormProblems(contract: Contract): Array<[string, string]> {
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
        `"${String(type)}" is not a short type. Use string, number, integer, boolean, object, any, markdown or "a|b" (one of), with [] for a list and ? for optional; or give this field a JSON Schema object`,
      ])
    }
  }
  return problems
}
