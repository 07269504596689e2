/**
 * Short-form contracts expanded to JSON Schema, with no dependency at all, so hooks can use it.
 * The grammar and its zod schema are in contract.ts.
 */
export type JsonSchema = Record<string, unknown>
export type ContractValue = string | Record<string, unknown>

/** Short type grammar: base, optional `[]` (list of), optional `?` (may be omitted). */
export const SHORT_TYPE =
  /^(string|number|integer|boolean|object|any|markdown|text|json|[A-Za-z0-9_.-]+(\|[A-Za-z0-9_.-]+)+)(\[\])?(\?)?$/

export const JSON_SCHEMA_MARKERS = [
  '$schema',
  '$ref',
  'type',
  'properties',
  'items',
  'oneOf',
  'anyOf',
  'allOf',
  'enum',
  'const',
] as const

/** Expands any contract to JSON Schema. */
export function contractToJsonSchema(contract: ContractValue): JsonSchema {
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

/** Whether a contract expects plain text back (so the return is not parsed as JSON). */
export function isTextContract(contract: ContractValue): boolean {
  return typeof contract === 'string' && /^(string|markdown|text)\??$/.test(contract)
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

/**
 * What text given for a value of JSON type `type` must be and is not (`a whole number`, `a JSON
 * object`), or undefined when it is that type or the type says nothing checkable. Arguments travel
 * as text: the planner and `workflow check` read them with this, one rule for both.
 */
export function textTypeProblem(type: unknown, text: string): string | undefined {
  const parses = (ok: (value: unknown) => boolean) => {
    try {
      return ok(JSON.parse(text))
    } catch {
      return false
    }
  }
  switch (type) {
    case 'integer':
      return /^-?\d+$/.test(text.trim()) ? undefined : 'a whole number'
    case 'number':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? undefined : 'a number'
    case 'boolean':
      return text === 'true' || text === 'false' ? undefined : 'true or false'
    case 'object':
      return parses((v) => v !== null && typeof v === 'object' && !Array.isArray(v)) ? undefined : 'a JSON object'
    case 'array':
      return parses(Array.isArray) ? undefined : 'a JSON list, e.g. ["a","b"]'
    case 'json':
      return parses(() => true) ? undefined : 'JSON'
    default:
      return undefined
  }
}
