/**
 * `check_return`: a value checked against an output contract's JSON Schema, by the validator both
 * runtimes share (manifest/validate-contract.ts). The hooks module checks short-form contracts itself
 * (manifest/short-contract-check.ts) and carries no validator library, which every session would pay
 * to load (docs/runtimes.md); it asks here for a contract written as full JSON Schema. Pure: no file
 * is read.
 */
import { contractProblems } from '../manifest/validate-contract.ts'

export interface CheckReturnArgs {
  schema: Record<string, unknown>
  value: unknown
}

export function checkReturnTool(args: CheckReturnArgs): string {
  return JSON.stringify({ problems: contractProblems(args.schema, args.value) })
}
