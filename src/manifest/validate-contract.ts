/**
 * Validating a value against an output contract (JSON Schema, draft 2020-12), the same way in both
 * runtimes. @cfworker/json-schema, a maintained validator that generates no code: the hooks module's
 * sandbox refuses `new Function` ("Code generation from strings disallowed", observed on 2.1.331 and
 * 2.1.332), which ajv needs. A light door: the hooks that check returns and the hooks module load it.
 */
import { Validator } from '@cfworker/json-schema'

/** Problems, one line each (`/score: Instance type "string" is invalid. Expected "integer".`); empty when the value matches. */
export function contractProblems(schema: Record<string, unknown>, value: unknown): string[] {
  let result: ReturnType<Validator['validate']>
  try {
    result = new Validator(schema as never, '2020-12', false).validate(value)
  } catch (thrown) {
    return [`the output contract is not a valid JSON Schema (${(thrown as Error).message})`]
  }
  if (result.valid) return []
  // Keep the errors that say what is wrong; drop the ones that only say a sub-schema did not match.
  const leaves = result.errors.filter(
    (e) =>
      !['properties', 'items', 'prefixItems', 'allOf', 'anyOf', 'oneOf', 'additionalProperties', '$ref'].includes(
        e.keyword,
      ) || result.errors.length === 1,
  )
  return (leaves.length > 0 ? leaves : result.errors).map(
    (e) => `${e.instanceLocation.replace(/^#/, '') || '(the value)'}: ${e.error.replace(/\.$/, '')}`,
  )
}
