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

/** Short type grammar: base, optional `[]` (list of), optional `?` (may be omitted). */
const SHORT_TYPE = /^(string|number|integer|boolean|object|any|markdown|text|json|[A-Za-z0-9_.-]+(\|[A-Za-z0-9_.-]+)+)(\[\])?(\?)?$/
const JSON_SCHEMA_MARKERS = ['$schema', '$ref', 'type', 'properties', 'items', 'oneOf', 'anyOf', 'allOf', 'enum', 'const'] as const

export const ShortTypeSchema = z
  .string()
  .regex(SHORT_TYPE, 'use a short type: string, number, integer, boolean, object, any, markdown, "a|b|c" (one of), with [] for a list and ? for optional, e.g. "string[]?"')

export const ContractSchema = z.union(
  [ShortTypeSchema, z.record(z.string(), z.unknown())],
  { error: 'a contract is a short type such as "markdown", a map of field: type, or a JSON Schema object' },
)
export type Contract = z.infer<typeof ContractSchema>

export type JsonSchema = Record<string, unknown>

/** Expands any contract to JSON Schema. Total: call it after ContractSchema accepted the value. */
export function contractToJsonSchema(contract: Contract): JsonSchema {
  if (typeof contract === 'string') return shortTypeToJsonSchema(contract).schema
  if (isJsonSchema(contract)) return contract
  const properties: Record<string, JsonSchema> = {}
  const required: string[] = []
  for (const [field, type] of Object.entries(contract)) {
    if (typeof type === 'string') {
      const expanded = shortTypeToJsonSchema(type)
      properties[field] = expanded.schema
      if (!expanded.optional) required.push(field)
    } else {
      properties[field] = (type ?? {}) as JsonSchema
      required.push(field)
    }
  }
  return { type: 'object', properties, required, additionalProperties: true }
}

/** Whether a contract object is written as JSON Schema rather than as the short field map. */
export function isJsonSchema(contract: Record<string, unknown>): boolean {
  return JSON_SCHEMA_MARKERS.some((key) => key in contract)
}

/** Problems in a short-form field map, as `[field, message]` pairs (empty when it is fine). */
export function shortFormProblems(contract: Contract): Array<[string, string]> {
  if (typeof contract === 'string' || isJsonSchema(contract)) return []
  const problems: Array<[string, string]> = []
  for (const [field, type] of Object.entries(contract)) {
    if (typeof type === 'string' ? !SHORT_TYPE.test(type) : typeof type !== 'object' || type === null || Array.isArray(type)) {
      problems.push([field, `"${String(type)}" is not a short type. Use string, number, integer, boolean, object, any, markdown or "a|b" (one of), with [] for a list and ? for optional; or give this field a JSON Schema object`])
    }
  }
  return problems
}

// --- internal ---

function shortTypeToJsonSchema(type: string): { schema: JsonSchema; optional: boolean } {
  let rest = type
  const optional = rest.endsWith('?')
  if (optional) rest = rest.slice(0, -1)
  const list = rest.endsWith('[]')
  if (list) rest = rest.slice(0, -2)
  const base = baseSchema(rest)
  return { schema: list ? { type: 'array', items: base } : base, optional }
}

function baseSchema(base: string): JsonSchema {
  if (base.includes('|')) return { type: 'string', enum: base.split('|') }
  switch (base) {
    case 'any':
    case 'json':
      return {}
    case 'markdown':
    case 'text':
      return { type: 'string', contentMediaType: base === 'markdown' ? 'text/markdown' : 'text/plain' }
    default:
      return { type: base }
  }
}
