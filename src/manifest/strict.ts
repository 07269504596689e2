import { z } from 'zod'

/**
 * A strict object whose unknown-key error names the keys that are allowed, so the message carries
 * its own fix: `unknown key "callabel"; the keys here are callable, input, output, ...`.
 */
export function strictObjectListingKeys<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const known = Object.keys(shape).join(', ')
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; the keys here are ${known}`
        : issue.code === 'invalid_type' && issue.expected === 'object'
          ? `expected a block of keys (${known}), indented below its name, got ${issue.input === null ? 'nothing' : Array.isArray(issue.input) ? 'a list' : `${typeof issue.input === 'string' ? 'the text' : 'the value'} ${JSON.stringify(issue.input)}`}`
          : undefined,
  })
}
