/**
 * Contracts line up: each step's arguments against its target's input contract (required fields
 * given, no unknown field where the contract is closed, one-of values respected), and where an
 * argument is exactly one `$slot` or `$inputs.name`, the type that value has (the writer's output
 * contract, the input's declared type) against the type the field expects.
 *
 * Values reach a call as text, so a field typed string or markdown takes anything (JSON is passed as
 * its text); a typed field (number, integer, boolean, object, array, one-of) takes only that type.
 */
import { error, warning } from '../common/core.ts'
import type { Diagnostic } from '../common/core.ts'
import { contractToJsonSchema } from '../manifest/contract-schema.ts'
import type { JsonSchema } from '../manifest/contract-schema.ts'
import type { Component } from '../registry/index.ts'
import type { ArgValue, Call, Workflow, WorkflowStep } from './model.ts'
import type { ResolvedCall } from './resolve-calls.ts'
import { soleReference, workflowReferences } from './references.ts'

/** A resolved step: the step and what its call and fallback reach. */
export interface ResolvedStep {
  step: WorkflowStep
  call: ResolvedCall
  fallback?: ResolvedCall
  /** Where in the file: `steps.<id>` or `steps.<group>.parallel.<id>`. */
  path: string
}

export function checkContracts(workflow: Workflow, resolved: ResolvedStep[]): Diagnostic[] {
  const problems: Diagnostic[] = []
  const writers = new Map<string, Array<{ step: string; component: Component }>>()
  for (const { step, call, fallback } of resolved) {
    if (step.into === undefined) continue
    const list = writers.get(step.into) ?? []
    for (const c of [call, fallback]) if (c?.component) list.push({ step: step.id, component: c.component })
    writers.set(step.into, list)
  }
  for (const { step, call, fallback, path } of resolved) {
    if (call.component && !call.problem)
      problems.push(...checkCall(workflow, step, call.component, `${path}.invoke`, writers))
    if (step.onError.fallback && fallback?.component && !fallback.problem)
      problems.push(
        ...checkCall(
          workflow,
          { ...step, ...step.onError.fallback },
          fallback.component,
          `${path}.on_error.fallback`,
          writers,
        ),
      )
  }
  return problems
}

// --- internal ---

function checkCall(
  workflow: Workflow,
  call: Call & Pick<WorkflowStep, 'id'>,
  component: Component,
  path: string,
  writers: Map<string, Array<{ step: string; component: Component }>>,
): Diagnostic[] {
  const contract = component.orchestration?.input
  if (contract === undefined) return []
  const file = workflow.file
  const schema = contractToJsonSchema(contract)
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
  const required = (schema.required ?? []) as string[]
  const described = Object.keys(properties)
    .map((k) => (required.includes(k) ? k : `${k}?`))
    .join(', ')
  const problems: Diagnostic[] = []
  const missing = required.filter((key) => !(key in call.args))
  if (missing.length > 0)
    problems.push(
      error(
        'WORKFLOW_CONTRACT_MISMATCH',
        file,
        `${component.id} needs ${missing.join(', ')} (its input contract: ${described}). Add ${missing.map((k) => `${k}: ...`).join(', ')} under args.`,
        `${path}.args`,
      ),
    )
  for (const [key, value] of Object.entries(call.args)) {
    const field = properties[key]
    if (field === undefined) {
      if (Object.keys(properties).length === 0) continue
      const message = `${component.id} has no input "${key}" (its input contract: ${described}).`
      problems.push(
        schema.additionalProperties === false
          ? error(
              'WORKFLOW_CONTRACT_MISMATCH',
              file,
              `${message} Its contract accepts nothing else; remove it or rename it.`,
              `${path}.args.${key}`,
            )
          : warning(
              'WORKFLOW_ARG_UNKNOWN',
              file,
              `${message} It is passed on anyway, since the contract is open; check the name.`,
              `${path}.args.${key}`,
            ),
      )
      continue
    }
    for (const source of sourcesOf(workflow, value, writers)) {
      const reason = mismatch(source.schema, field)
      if (!reason) continue
      // A value written in the workflow is named as itself: `not "everything"`, and the fix is a value.
      const literal = 'const' in source.schema
      problems.push(
        error(
          'WORKFLOW_CONTRACT_MISMATCH',
          file,
          literal
            ? `${key}: ${component.id} expects ${describe(field)}, not ${describe(source.schema)}. ${field.enum ? 'Pass one of those' : 'Pass a value of that type'}, or change its contract.`
            : `${key}: ${component.id} expects ${describe(field)}, but ${source.label} is ${describe(source.schema)}${reason === true ? '' : ` (${reason})`}. Pass a value of that type, or change one of the contracts.`,
          `${path}.args.${key}`,
        ),
      )
    }
  }
  return problems
}

/** The types an argument's value can have: a literal, an input's, or each writer's output contract. */
function sourcesOf(
  workflow: Workflow,
  value: ArgValue,
  writers: Map<string, Array<{ step: string; component: Component }>>,
): Array<{ label: string; schema: JsonSchema }> {
  if (typeof value !== 'string')
    return [
      {
        label: `${JSON.stringify(value)}`,
        schema: {
          type: typeof value === 'boolean' ? 'boolean' : Number.isInteger(value) ? 'integer' : 'number',
          const: value,
        },
      },
    ]
  const sole = soleReference(value)
  if (sole?.kind === 'input') {
    const input = workflow.inputs[sole.name]
    return input ? [{ label: `$inputs.${sole.name}`, schema: input.schema }] : []
  }
  if (sole?.kind === 'slot') {
    return (writers.get(sole.name) ?? []).flatMap(({ step, component }) => {
      const output = component.orchestration?.output
      return output === undefined
        ? []
        : [
            {
              label: `$${sole.name} (the output of ${component.id}, step "${step}")`,
              schema: contractToJsonSchema(output),
            },
          ]
    })
  }
  // Text, with or without references in it: a string; its value is known only without references.
  const literal = workflowReferences(value).length === 0
  return [
    {
      label: literal ? JSON.stringify(value) : 'text',
      schema: literal ? { type: 'string', const: value } : { type: 'string' },
    },
  ]
}

/** Why a value of `source`'s type does not fit `field`, or undefined when it does (true: just the types). */
function mismatch(source: JsonSchema, field: JsonSchema): string | true | undefined {
  const options = field.enum as unknown[] | undefined
  if (options) {
    if ('const' in source) return options.includes(source.const) ? undefined : `not one of ${options.join(', ')}`
    const offered = source.enum as unknown[] | undefined
    if (offered) {
      const extra = offered.filter((o) => !options.includes(o))
      return extra.length === 0
        ? undefined
        : `${extra.join(', ')} ${extra.length === 1 ? 'is' : 'are'} not among ${options.join(', ')}`
    }
    return source.type === undefined
      ? undefined
      : `any ${String(source.type)}, where only ${options.join(', ')} will do`
  }
  const wanted = field.type
  const got = source.type
  if (wanted === undefined || got === undefined || wanted === 'string') return undefined
  if (wanted === got || (wanted === 'number' && got === 'integer')) return undefined
  return true
}

function describe(schema: JsonSchema): string {
  if (schema.enum) return `one of ${(schema.enum as unknown[]).join(', ')}`
  if ('const' in schema) return `${JSON.stringify(schema.const)}`
  if (schema.type === 'string' && schema.contentMediaType === 'text/markdown') return 'markdown'
  if (schema.type === 'array')
    return `a list${(schema.items as JsonSchema | undefined)?.type ? ` of ${String((schema.items as JsonSchema).type)}` : ''}`
  if (schema.type === 'object') return 'an object'
  if (schema.type === undefined) return 'any value'
  return `${/^[aeiou]/.test(String(schema.type)) ? 'an' : 'a'} ${String(schema.type)}`
}
