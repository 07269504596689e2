/**
 * The user's policy: limits on call chains and who may call whom. Two optional files, merged with
 * the stricter value winning: user scope `<config>/switchboard/policy.json` (config =
 * $CLAUDE_CONFIG_DIR or ~/.claude) and project scope `<project>/.claude/switchboard/policy.json`.
 * zod/mini: hooks load this on every call. Documented in docs/security.md.
 */
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import * as z from 'zod/mini'

const RuleSchema = z.strictObject({
  caller: z.string(),
  target: z.string(),
  action: z.enum(['allow', 'deny']),
})

export const PolicyFileSchema = z.strictObject({
  $schema: z.optional(z.string()),
  /** Fail closed: a call Switchboard cannot check is denied, and unknown plugins may not be called. */
  strict: z.optional(z.boolean()),
  limits: z.optional(z.strictObject({ maxDepth: z.optional(z.number().check(z.int(), z.positive())), maxCallsPerChain: z.optional(z.number().check(z.int(), z.positive())) })),
  /** What counts as a cycle: the same agent again in the chain, or the same plugin again. */
  cycles: z.optional(z.enum(['agent', 'plugin'])),
  /** Whether components that say nothing are callable by other plugins. */
  defaultCallable: z.optional(z.boolean()),
  rules: z.optional(z.array(RuleSchema)),
})
export type PolicyFile = z.infer<typeof PolicyFileSchema>

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

export const DEFAULT_POLICY = { maxDepth: 4, maxCallsPerChain: 25 } as const

export function policyFiles(env: Readonly<Record<string, string | undefined>>, projectDir: string): string[] {
  const configDir = env.CLAUDE_CONFIG_DIR ? resolve(projectDir, env.CLAUDE_CONFIG_DIR) : join(env.HOME || homedir(), '.claude')
  return [join(configDir, 'switchboard', 'policy.json'), join(projectDir, '.claude', 'switchboard', 'policy.json')]
}

export function loadPolicy(env: Readonly<Record<string, string | undefined>>, projectDir: string): Policy {
  const policy: Policy = { strict: env.SWITCHBOARD_STRICT === '1', maxDepth: DEFAULT_POLICY.maxDepth, maxCallsPerChain: DEFAULT_POLICY.maxCallsPerChain, cycles: 'agent', defaultCallable: true, rules: [], files: [], problems: [] }
  const limitsSet = new Set<string>()
  for (const file of policyFiles(env, projectDir)) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
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
      policy.problems.push(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}. See docs/security.md for the format.`)
      continue
    }
    const value = parsed.data
    if (value.strict) policy.strict = true
    // The user file may raise or lower the defaults; a project file may only lower them.
    for (const key of ['maxDepth', 'maxCallsPerChain'] as const) {
      const limit = value.limits?.[key]
      if (limit === undefined) continue
      policy[key] = limitsSet.has(key) ? Math.min(policy[key], limit) : limit
      limitsSet.add(key)
    }
    if (value.cycles === 'plugin') policy.cycles = 'plugin'
    if (value.defaultCallable === false) policy.defaultCallable = false
    // A project (possibly a repository someone else wrote) may only tighten: allow rules need the user's own file.
    const isProject = file !== policyFiles(env, projectDir)[0]
    for (const rule of value.rules ?? []) {
      if (isProject && rule.action === 'allow') {
        policy.problems.push(`${file}: allow rules are honoured only in the user policy (${policyFiles(env, projectDir)[0]}); a project policy may only deny. Move the rule there.`)
        continue
      }
      policy.rules.push({ ...rule, file })
    }
  }
  return policy
}

/**
 * Whether a pattern matches a caller or target id. Patterns: `*`, `main` (the main thread),
 * `plugin` or `prefix-*` (every component of matching plugins), `plugin:component`, `plugin:*`.
 */
export function matchesPattern(pattern: string, id: string): boolean {
  if (pattern === '*') return true
  const subject = pattern.includes(':') || id === 'main' ? id : id.split(':')[0] ?? id
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
  return regex.test(subject)
}
