/**
 * Output contracts of the short form (`{ score: integer, tags: string[], mood: happy|sad }`, as
 * contract-schema.ts expands them to JSON Schema) checked with no validator library: the hooks
 * module's fast path. Claude Code analyses a module's whole code at every session start, about
 * 1.7 ms a kilobyte (docs/runtimes.md), and the JSON Schema validator was its largest library (44 KB).
 *
 * It answers only for schemas made of the keywords short forms use (type, enum, items, properties,
 * required, additionalProperties: true, contentMediaType), checked exactly as @cfworker/json-schema
 * checks them and worded as validate-contract.ts words its errors; for any other schema it answers
 * undefined, and the runtime asks the validator (the MCP server's check_return, in the module).
 * test/manifest/short-contract-check.test.ts holds it to the validator over random schemas and values.
 */
import type { JsonSchema } from './contract-schema.ts'

/** Problems as contractProblems words them; undefined when the schema is not one this checker reads. */
export function shortContractProblems(schema: JsonSchema, value: unknown): string[] | undefined {
  if (!isShortSchema(schema)) return undefined
  const problems: string[] = []
  check(schema, value, '', problems)
  return problems
}

// --- internal ---

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'])
const KEYS = new Set(['type', 'enum', 'items', 'properties', 'required', 'additionalProperties', 'contentMediaType'])

function isShortSchema(schema: unknown): schema is JsonSchema {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return false
  const s = schema as JsonSchema
  if (!Object.keys(s).every((key) => KEYS.has(key))) return false
  if (s.type !== undefined && !(typeof s.type === 'string' && TYPES.has(s.type))) return false
  if (s.enum !== undefined && !(Array.isArray(s.enum) && s.enum.every((e) => typeof e === 'string'))) return false
  if (s.contentMediaType !== undefined && typeof s.contentMediaType !== 'string') return false
  if (s.items !== undefined && !isShortSchema(s.items)) return false
  if (s.additionalProperties !== undefined && s.additionalProperties !== true) return false
  if (s.required !== undefined && !(Array.isArray(s.required) && s.required.every((r) => typeof r === 'string')))
    return false
  if (s.properties !== undefined) {
    const properties = s.properties
    if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) return false
    if (!Object.values(properties).every(isShortSchema)) return false
  }
  return true
}

/** The validator's order: type, enum, then an object's required and properties, then an array's items. */
function check(schema: JsonSchema, value: unknown, at: string, problems: string[]): void {
  const found = typeOf(value)
  const say = (text: string) => problems.push(contractProblemLine(at, text))
  const { type } = schema
  const isInteger = found === 'number' && (value as number) % 1 === 0
  if (type !== undefined && (type === 'integer' ? !isInteger : found !== type))
    say(`Instance type "${found}" is invalid. Expected "${String(type)}"`)
  const options = schema.enum as string[] | undefined
  if (options !== undefined && !options.some((option) => value === option))
    say(`Instance does not match any of ${JSON.stringify(options)}`)
  if (found === 'object') {
    const object = value as Record<string, unknown>
    for (const key of (schema.required as string[] | undefined) ?? [])
      if (!Object.hasOwn(object, key)) say(`Instance does not have required property "${key}"`)
    for (const [key, property] of Object.entries((schema.properties as Record<string, JsonSchema> | undefined) ?? {}))
      if (Object.hasOwn(object, key)) check(property, object[key], `${at}/${pointer(key)}`, problems)
  }
  if (found === 'array' && schema.items !== undefined)
    for (const [index, item] of (value as unknown[]).entries())
      check(schema.items as JsonSchema, item, `${at}/${index}`, problems)
}

/**
 * One problem as both checkers word it: where (the return's own keys, which the agent chose, so quoted and
 * cut, never read as words of Switchboard's), then what, at most 200 characters.
 */
export function contractProblemLine(at: string, text: string): string {
  const where = at ? JSON.stringify(at.length > 60 ? `${at.slice(0, 60)}...` : at) : '(the value)'
  return `${where}: ${text.slice(0, 200)}`
}

/** The type the validator names a JSON value by (`number` for every number). */
function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** A key in an instance location, escaped as the validator does (JSON Pointer, then URI-encoded). */
function pointer(key: string): string {
  return encodeURI(key.replace(/~/g, '~0').replace(/\//g, '~1')).replace(/#/g, '%23')
}
