/** Validating a return against its output contract (JSON Schema draft 2020-12) with ajv, the standard validator. */
import Ajv2020Module from 'ajv/dist/2020.js'

// ajv ships CommonJS with a default export; under NodeNext the class is on `.default`.
const Ajv2020 = (Ajv2020Module as unknown as { default: typeof Ajv2020Module }).default ?? Ajv2020Module
type AjvInstance = import('ajv').default
let ajv: AjvInstance | undefined // created on first use: only hooks that validate pay for it

/** Problems, one line each (`/score: must be integer`); empty when the value matches. */
export function contractProblems(schema: Record<string, unknown>, value: unknown): string[] {
  ajv ??= new (Ajv2020 as unknown as new (options: object) => AjvInstance)({ allErrors: true, strict: false })
  let validate
  try {
    validate = ajv.compile(schema)
  } catch (thrown) {
    return [`the output contract is not a valid JSON Schema (${(thrown as Error).message})`]
  }
  if (validate(value)) return []
  return (validate.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath || '(the value)'}: ${e.message ?? 'is invalid'}`)
}
