/**
 * A run's input values against the workflow's declared inputs: every given name declared, every
 * required one given (or defaulted), each value of its type. Values arrive as text (`name=value` on
 * a command line, an invoke line); a typed input must read as that type.
 */
import { quotedExcerpt } from '../common/core.ts'
import { textTypeProblem } from '../manifest/contract-schema.ts'
import type { Workflow } from './model.ts'

export interface InputValues {
  /** Every input that has a value, given or defaulted, as text. */
  values: Record<string, string>
  /** What is wrong, each with its fix. */
  problems: string[]
}

export function resolveInputs(
  workflow: Pick<Workflow, 'inputs'>,
  given: Readonly<Record<string, string>>,
): InputValues {
  const problems: string[] = []
  const values: Record<string, string> = {}
  const declared = Object.keys(workflow.inputs)
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(workflow.inputs, name))
      problems.push(
        `there is no input "${name}". Inputs: ${declared.map((n) => `${n}${workflow.inputs[n]!.optional ? '?' : ''}`).join(', ') || 'none'}.`,
      )
  }
  for (const [name, input] of Object.entries(workflow.inputs)) {
    const value =
      (Object.hasOwn(given, name) ? given[name] : undefined) ??
      (input.default === undefined ? undefined : defaultText(input.default))
    if (value === undefined) {
      if (!input.optional)
        problems.push(
          `input "${name}" (${input.type}) is required. Add ${name}=<value>${input.type === 'markdown' || input.type === 'text' ? ` or ${name}=@file.md` : ''}.`,
        )
      continue
    }
    const wrong = inputTypeProblem(input.type, value)
    if (wrong) problems.push(`input "${name}": ${wrong}`)
    values[name] = value
  }
  return { values, problems }
}

/** A default as the text a given value would be: YAML's numbers and booleans as written, maps and lists as JSON. */
export function defaultText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** Why `value` (text) is not of the input type `type` (without its `?`), or undefined when it is. */
export function inputTypeProblem(type: string, value: string): string | undefined {
  if (type.includes('|') && !type.endsWith('[]')) {
    const options = type.split('|')
    return options.includes(value) ? undefined : `${quotedExcerpt(value)} is not one of ${options.join(', ')}.`
  }
  // A short type's base (`integer`, `object`, `json`, `x[]` a list) read as its JSON type.
  const expected = textTypeProblem(type.endsWith('[]') ? 'array' : type, value)
  return expected === undefined ? undefined : `${quotedExcerpt(value)} is not ${expected}.`
}
