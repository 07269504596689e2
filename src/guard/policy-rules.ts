/**
 * The user's policy as data: its file format, the merged Policy, and how pattern rules match. Pure
 * (no Node): the settings hooks, the CLI and the hooks module all merge and match with this file;
 * reading the files is the runtime's business (policy.ts for Node). zod/mini: hooks load it on every
 * call. Documented in docs/security.md.
 */
import * as z from 'zod/mini'
import { flattenIssues } from '../common/core.ts'

const RuleSchema = z.strictObject({
  caller: z.string(),
  target: z.string(),
  action: z.enum(['allow', 'deny']),
})

const PolicyFileSchema = z.strictObject({
  $schema: z.optional(z.string()),
  /** Fail closed: a call Switchboard cannot check is denied, and unknown plugins may not be called. */
  strict: z.optional(z.boolean()),
  limits: z.optional(
    z.strictObject({
      maxDepth: z.optional(z.number().check(z.int(), z.positive())),
      maxCallsPerChain: z.optional(z.number().check(z.int(), z.positive())),
    }),
  ),
  /** What counts as a cycle: the same agent again in the chain, or the same plugin again. */
  cycles: z.optional(z.enum(['agent', 'plugin'])),
  /** Whether components that say nothing are callable by other plugins. */
  defaultCallable: z.optional(z.boolean()),
  rules: z.optional(z.array(RuleSchema)),
})

export interface Policy {
  strict: boolean
  maxDepth: number
  maxCallsPerChain: number
  cycles: 'agent' | 'plugin'
  defaultCallable: boolean
  rules: Array<z.infer<typeof RuleSchema> & { file: string }>
  /** The files that were read. */
  files: string[]
  /** Problems in policy files; any problem makes the policy deny every cross-plugin call (fail closed). */
  problems: string[]
}

const DEFAULT_POLICY = { maxDepth: 4, maxCallsPerChain: 25 } as const

/** One policy file as its runtime read it: its text, or why it could not be read (absent: no file). */
export interface PolicySource {
  file: string
  scope: 'user' | 'project'
  text?: string
  problem?: string
}

/**
 * Merges the user's and the project's policy files, the stricter value winning. The user file may
 * raise or lower the defaults; a project file (perhaps a repository someone else wrote) may only
 * tighten: lower limits, deny rules, strict mode.
 */
export function mergePolicy(
  sources: readonly PolicySource[],
  env: Readonly<Record<string, string | undefined>>,
): Policy {
  const policy: Policy = {
    strict: env.SWITCHBOARD_STRICT === '1',
    maxDepth: DEFAULT_POLICY.maxDepth,
    maxCallsPerChain: DEFAULT_POLICY.maxCallsPerChain,
    cycles: 'agent',
    defaultCallable: true,
    rules: [],
    files: [],
    problems: [],
  }
  const limitsSet = new Set<string>()
  const userFile = sources.find((s) => s.scope === 'user')?.file ?? 'the user policy'
  for (const { file, scope, text, problem } of sources) {
    if (problem !== undefined) {
      policy.files.push(file)
      policy.problems.push(problem)
      continue
    }
    if (text === undefined) continue // no file: no policy
    policy.files.push(file)
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (thrown) {
      policy.problems.push(`${file}: not valid JSON (${(thrown as Error).message}). Fix the syntax.`)
      continue
    }
    const parsed = PolicyFileSchema.safeParse(raw)
    if (!parsed.success) {
      policy.problems.push(`${file}: ${flattenIssues(parsed.error.issues)}. See docs/security.md for the format.`)
      continue
    }
    const value = parsed.data
    if (value.strict) policy.strict = true
    for (const key of ['maxDepth', 'maxCallsPerChain'] as const) {
      const limit = value.limits?.[key]
      if (limit === undefined) continue
      policy[key] = limitsSet.has(key) ? Math.min(policy[key], limit) : limit
      limitsSet.add(key)
    }
    if (value.cycles === 'plugin') policy.cycles = 'plugin'
    if (value.defaultCallable === false) policy.defaultCallable = false
    for (const rule of value.rules ?? []) {
      if (scope === 'project' && rule.action === 'allow') {
        policy.problems.push(
          `${file}: allow rules are honoured only in the user policy (${userFile}); a project policy may only deny. Move the rule there.`,
        )
        continue
      }
      policy.rules.push({ ...rule, file })
    }
  }
  // A file we could not read or parse may have said "strict": assume it did, so the hooks also fail
  // closed on their own errors until it is fixed (docs/security.md, "Fail open or closed").
  if (policy.problems.length > 0) policy.strict = true
  return policy
}

/**
 * Whether a pattern matches a caller or target id. Patterns: `*`, `main` (the main thread),
 * `plugin` or `prefix-*` (every component of matching plugins), `plugin:component`, `plugin:*`.
 */
export function matchesPattern(pattern: string, id: string): boolean {
  if (pattern === '*') return true
  const subject = pattern.includes(':') || id === 'main' ? id : (id.split(':')[0] ?? id)
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  )
  return regex.test(subject)
}
