/**
 * The user's policy: limits on call chains and who may call whom. Two optional files, merged with
 * the stricter value winning: user scope `<config>/switchboard/policy.json` (config =
 * $CLAUDE_CONFIG_DIR or ~/.claude) and project scope `<project>/.claude/switchboard/policy.json`.
 * zod/mini: hooks load this on every call. Documented in docs/security.md.
 */
import { readFileSync, readlinkSync } from 'node:fs'
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
    } catch (thrown) {
      const problem = unreadable(file, thrown)
      if (problem === undefined) continue // no file: no policy
      policy.files.push(file)
      policy.problems.push(problem)
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
  const subject = pattern.includes(':') || id === 'main' ? id : id.split(':')[0] ?? id
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
  return regex.test(subject)
}

// --- internal ---

/**
 * Why a policy file cannot be read, or undefined when there is none. Only a name that does not exist
 * at all means "no policy": a dangling link, a link loop, a folder or a file we may not read would
 * otherwise drop the user's deny rules and strict mode without a word.
 */
function unreadable(file: string, thrown: unknown): string | undefined {
  const code = (thrown as NodeJS.ErrnoException).code
  if (code === 'ENOENT') {
    let target: string
    try {
      target = readlinkSync(file)
    } catch {
      return undefined // nothing there (or a parent folder missing): no policy
    }
    return `${file}: is a symbolic link to ${target}, which does not exist, so the policy cannot be read. Point the link at your policy file, or remove it.`
  }
  const why = code === 'EISDIR' ? 'it is a folder, not a file' : code === 'ELOOP' ? 'its symbolic links form a loop (ELOOP)' : code === 'EACCES' || code === 'EPERM' ? `no permission to read it (${code})` : `${code ?? 'error'}: ${(thrown as Error).message}`
  return `${file}: cannot be read (${why}). Make it a readable JSON file, or remove it.`
}
