/**
 * The user's policy as data: its file format, the merged Policy, and how pattern rules match. Pure
 * (no Node): the settings hooks, the CLI and the hooks module all merge and match with this file;
 * reading the files is the runtime's business (policy.ts for Node). Checked by hand rather than with
 * zod: the hooks module reads it on every call, and zod would be most of the module's schema code,
 * which Claude Code analyses at every session's start (docs/runtimes.md). Documented in
 * docs/security.md.
 */
import { duplicateJsonKeys, inert, isObject, nearest, quotedExcerpt } from '../common/core.ts'
import { agentKey } from './resolve-target.ts'

interface PolicyRule {
  caller: string
  target: string
  action: 'allow' | 'deny'
}

/** A policy file, as docs/security.md describes it. */
interface PolicyFile {
  /** Fail closed: a call Switchboard cannot check is denied, and unknown plugins may not be called. */
  strict?: boolean
  limits?: { maxDepth?: number; maxCallsPerChain?: number }
  /** What counts as a cycle: the same agent again in the chain, or the same plugin again. */
  cycles?: 'agent' | 'plugin'
  /** Whether components that say nothing are callable by other plugins. */
  defaultCallable?: boolean
  rules?: PolicyRule[]
}

export interface Policy {
  strict: boolean
  maxDepth: number
  maxCallsPerChain: number
  cycles: 'agent' | 'plugin'
  defaultCallable: boolean
  /** Each rule with the file it is in and its place in that file's `rules` (for messages about it). */
  rules: Array<PolicyRule & { file: string; index?: number }>
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
  const userFile = sources.find((s) => s.scope === 'user')?.file ?? 'the user policy'
  // The user's file first: it sets the limits, and a project file can then only lower them.
  const ordered = [...sources].sort((a, b) => (a.scope === b.scope ? 0 : a.scope === 'user' ? -1 : 1))
  for (const { file, scope, text, problem } of ordered) {
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
    const problems = [...duplicateKeyProblems(text), ...policyFileProblems(raw)]
    if (problems.length > 0) {
      policy.problems.push(`${file}: ${problems.join('; ')}. See docs/security.md for the format.`)
      continue
    }
    const value = raw as PolicyFile
    if (value.strict) policy.strict = true
    for (const key of ['maxDepth', 'maxCallsPerChain'] as const) {
      const limit = value.limits?.[key]
      if (limit === undefined) continue
      policy[key] = scope === 'user' ? limit : Math.min(policy[key], limit)
    }
    if (value.cycles === 'plugin') policy.cycles = 'plugin'
    if (value.defaultCallable === false) policy.defaultCallable = false
    for (const [index, rule] of (value.rules ?? []).entries()) {
      if (scope === 'project' && rule.action === 'allow') {
        policy.problems.push(
          `${file}: allow rules are honoured only in the user policy (${userFile}); a project policy may only deny. Move the rule there.`,
        )
        continue
      }
      policy.rules.push({ ...rule, file, index })
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
  // `main` is the person, never a plugin that happens to be named main (`main:x`).
  if (pattern === 'main' || id === 'main') return pattern === id || pattern === '*'
  const subject = pattern.includes(':') ? id : (id.split(':')[0] ?? id)
  return globMatches(pattern, subject)
}

/**
 * Whether a deny rule's pattern names `id`: as written, or as Claude Code compares agent types (NFKC, lower case,
 * no whitespace, dash or `_`, pattern and id alike), so a rule spelled `crew:code-review:*` denies the agent
 * in `agents/code_review/`, which Claude Code runs for either spelling (found by review: it matched only where
 * the registry did not know the plugin). Only deny rules fold: an allow rule, which opens, stays exact.
 */
export function denyPatternMatches(pattern: string, id: string): boolean {
  return matchesPattern(pattern, id) || matchesPattern(pattern.split('*').map(agentKey).join('*'), agentKey(id))
}

/**
 * Why a deny rule refuses a call to a name the registry does not know (a plugin installed after the
 * session's snapshot, a `--plugin-dir` folder it was not told of, a session with no snapshot): "a deny
 * rule always wins" holds there too. The name is matched as written (read the way pluginPart reads it:
 * NFKC, no leading `/`), in lower case, and as Claude Code compares agent types (NFKC, lower case, no
 * whitespace, dash or `_`, rule and name alike: `gh-ost:spy` runs `ghost:spy`), so no spelling Claude Code
 * folds to the denied plugin gets by. `callerId` undefined: the caller is not known (no snapshot), so a
 * rule for any caller applies.
 */
export function denyRuleProblem(policy: Policy, callerId: string | undefined, target: string): string | undefined {
  const spelled = target.normalize('NFKC').trim().replace(/^\//, '')
  const rule = policy.rules.find(
    (r) =>
      r.action === 'deny' &&
      (callerId === undefined || denyPatternMatches(r.caller, callerId)) &&
      (denyPatternMatches(r.target, spelled) || matchesPattern(r.target, spelled.toLowerCase())),
  )
  if (!rule) return undefined
  return `policy: a rule in ${rule.file} denies ${rule.caller} -> ${rule.target} (${callerId ?? 'this caller'} -> ${spelled}). Change the rule to allow this call.`
}

// --- internal ---

/**
 * Whether `subject` matches `pattern`, where `*` stands for any run of characters: in linear time.
 * A pattern comes from policy files and plugins' manifests, and a regular expression built from
 * `**************:Z` backtracked for a minute against one id, while every call waited on the guard.
 */
function globMatches(pattern: string, subject: string): boolean {
  const parts = pattern.split('*')
  if (parts.length === 1) return pattern === subject
  const first = parts[0]!
  const last = parts[parts.length - 1]!
  const end = subject.length - last.length
  if (end < first.length || !subject.startsWith(first) || !subject.endsWith(last)) return false
  // Each middle part at its leftmost place after the one before: leaves the most room for the rest.
  let at = first.length
  for (const part of parts.slice(1, -1)) {
    const found = subject.indexOf(part, at)
    if (found < 0 || found + part.length > end) return false
    at = found + part.length
  }
  return true
}

const FILE_FIELDS = ['$schema', 'strict', 'limits', 'cycles', 'defaultCallable', 'rules']
const LIMIT_FIELDS = ['maxDepth', 'maxCallsPerChain']
const RULE_FIELDS = ['caller', 'target', 'action']

/** The problems one policy file reports at most: the first ones say what to fix, and a denial carries them all. */
const MAX_PROBLEMS = 20

/** What is wrong with a parsed policy file, each as `field: what and the fix`; none when it is valid. */
function policyFileProblems(raw: unknown): string[] {
  const problems: string[] = []
  const fields = (value: unknown, path: string, known: readonly string[]): value is Record<string, unknown> => {
    if (!isObject(value)) {
      problems.push(`${path || '(root)'}: expected an object`)
      return false
    }
    for (const key of Object.keys(value).filter((k) => !known.includes(k))) {
      if (problems.length >= MAX_PROBLEMS) break
      // A field name is a word: a long key is no typo of one (and an edit distance on it costs its square).
      const hint = key.length <= 64 ? nearest(key, known) : undefined
      problems.push(
        `${path ? `${path}.` : ''}${key}: not a policy field; ${hint ? `did you mean ${hint}?` : `the fields are ${known.join(', ')}`}`,
      )
    }
    return true
  }
  const is = (ok: boolean, path: string, expected: string) => ok || problems.push(`${path}: expected ${expected}`)
  if (!fields(raw, '', FILE_FIELDS)) return problems
  const { $schema, strict, limits, cycles, defaultCallable, rules } = raw
  if ($schema !== undefined) is(typeof $schema === 'string', '$schema', 'a string')
  if (strict !== undefined) is(typeof strict === 'boolean', 'strict', 'true or false')
  if (defaultCallable !== undefined) is(typeof defaultCallable === 'boolean', 'defaultCallable', 'true or false')
  if (cycles !== undefined) is(cycles === 'agent' || cycles === 'plugin', 'cycles', '"agent" or "plugin"')
  if (limits !== undefined && fields(limits, 'limits', LIMIT_FIELDS))
    for (const key of LIMIT_FIELDS) {
      const limit = limits[key]
      if (limit !== undefined)
        is(Number.isInteger(limit) && (limit as number) > 0, `limits.${key}`, 'a whole number above 0')
    }
  if (rules !== undefined && is(Array.isArray(rules), 'rules', 'a list of { caller, target, action }'))
    (rules as unknown[]).forEach((rule, index) => {
      if (problems.length >= MAX_PROBLEMS || !fields(rule, `rules.${index}`, RULE_FIELDS)) return
      for (const key of ['caller', 'target']) {
        const pattern = rule[key]
        if (typeof pattern !== 'string') problems.push(`rules.${index}.${key}: expected a pattern such as "plugin:*"`)
        else {
          const problem = patternProblem(pattern)
          if (problem) problems.push(`rules.${index}.${key}: ${quotedExcerpt(pattern)} ${problem}`)
        }
      }
      is(rule.action === 'allow' || rule.action === 'deny', `rules.${index}.action`, '"allow" or "deny"')
    })
  return problems
}

/** The project's settings files, relative to the project, whose `env` block Claude Code applies. */
export const PROJECT_SETTINGS = ['.claude/settings.json', '.claude/settings.local.json']

/**
 * The variables that say where the user's policy, the plugins and Switchboard's state are. Claude Code
 * gives the processes it starts (settings hooks, MCP servers, the Bash tool) the `env` block of the
 * project's settings too, so a repository's `.claude/settings.json` could move the user's policy to a
 * file of its own and drop its deny rules and strict mode: probed on 2.1.197, a user's deny rule went
 * unenforced (docs/claude-code-notes.md). The hooks module reads Claude Code's own environment and is
 * not moved, but the SessionStart hook it may run is, and would prepare the session's snapshot elsewhere.
 */
const WHERE_VARIABLES = [
  'HOME',
  'CLAUDE_CONFIG_DIR',
  'CLAUDE_CODE_PLUGIN_CACHE_DIR',
  'CLAUDE_CODE_PLUGIN_DIRS',
  'SWITCHBOARD_DATA_DIR',
  'SWITCHBOARD_PLUGIN_DIRS',
]

/**
 * Switchboard's own switches, which a project's settings may not set either: the runtime variables have the
 * settings hooks step aside as if the hooks module ran the session (a resumed session's id is known), and
 * SWITCHBOARD_STRICT other than "1" would turn off the person's strict mode (found by review).
 */
const OWN_VARIABLES = ['SWITCHBOARD_RUNTIME', 'SWITCHBOARD_RUNTIME_SESSION', 'SWITCHBOARD_SESSION_READY']

/**
 * The variables of WHERE_VARIABLES and OWN_VARIABLES the settings `text` sets, and SWITCHBOARD_STRICT unless
 * "1"; `unread` where the text is no JSON but names one of them as a key. Claude Code applies no env block
 * from such a file today, but one that decoded it otherwise (a UTF-16 file without its mark, read as the
 * Read tool reads one) would: refused too, as the cheap side of that doubt.
 */
function projectSettingsSet(text: string): { set: string[]; unread?: true } {
  const watched = [...WHERE_VARIABLES, ...OWN_VARIABLES, 'SWITCHBOARD_STRICT']
  let env: unknown
  try {
    env = (JSON.parse(text) as { env?: unknown } | null)?.env
  } catch {
    const plain = text.replaceAll('\0', '')
    const named = watched.filter((key) => plain.includes(`"${key}"`))
    return named.length > 0 ? { set: named, unread: true } : { set: [] }
  }
  if (!env || typeof env !== 'object') return { set: [] }
  const set = watched.filter((key) => key !== 'SWITCHBOARD_STRICT' && Object.hasOwn(env, key))
  const strict = (env as Record<string, unknown>).SWITCHBOARD_STRICT
  return { set: Object.hasOwn(env, 'SWITCHBOARD_STRICT') && strict !== '1' ? [...set, 'SWITCHBOARD_STRICT'] : set }
}

/**
 * The most of a project settings file Switchboard reads to see whether its env block moves the policy: the most one
 * read of the hooks module answers, so both runtimes judge the same files the same way. Claude Code reads a larger
 * one whole and applies its env block, so a file past it is a problem, never "no env block" (found by review: padded
 * past 1 MiB, a settings file moved HOME, and with it the user's policy, unseen).
 */
export const PROJECT_SETTINGS_MAX_BYTES = 4 * 1024 * 1024

/**
 * A policy problem (every cross-plugin call refused) for a project settings file that is there but cannot be read
 * whole (`why`: past PROJECT_SETTINGS_MAX_BYTES, a folder, a pipe, no permission): its env block may move the
 * policy, and Claude Code may well apply it.
 */
export function unreadProjectSettings(file: string, why: string): PolicySource {
  return {
    file,
    scope: 'project',
    problem: `${file}: cannot be read (${why}), so Switchboard cannot tell whether its env block moves where it reads your policy, and refuses every cross-plugin call until it can. Make it a readable JSON file of at most ${PROJECT_SETTINGS_MAX_BYTES / 1024 / 1024} MiB, or remove it.`,
  }
}

/**
 * A policy problem (every cross-plugin call refused) where the settings `text` of `file` sets one of them.
 * `text` is the file decoded as Claude Code decodes it (common/settings-text.ts).
 */
export function movedByProjectSettings(file: string, text: string): PolicySource | undefined {
  const { set, unread } = projectSettingsSet(text)
  if (set.length === 0) return undefined
  const them = set.length === 1 ? 'it' : 'them'
  const what = unread
    ? `is not valid JSON, yet names ${set.join(', ')}, which a Claude Code that read it would set for the processes it starts`
    : `its env block sets ${set.join(', ')}`
  return {
    file,
    scope: 'project',
    problem: `${file}: ${what}, which would move where Switchboard reads your policy, the plugins and its state, or switch its checks off, so a project could drop your rules. Set ${them} in your shell or in your user settings instead, and remove ${them} from this file.`,
  }
}

/**
 * What keeps a rule's pattern from ever matching an id, where it cannot: a typo that leaves a deny rule
 * matching nothing must not pass as a rule that protects. (One that merely names nothing installed is
 * valid, for a plugin installed later: `switchboard doctor` warns of it.)
 */
function patternProblem(pattern: string): string | undefined {
  const why =
    pattern === ''
      ? 'is empty'
      : pattern.length > 2048 // first: what follows reads the whole pattern (a name is 256 at most, 32 folders deep)
        ? 'is longer than any id'
        : /\s/.test(pattern)
          ? 'holds a space or a line break, which no id does'
          : inert(pattern) !== pattern
            ? 'holds a control or invisible character'
            : /[/\\]/.test(pattern)
              ? 'holds a slash, which no id does'
              : // An agent in a sub-folder has an id of more parts (`plugin:dir:agent`); no part is empty.
                pattern.startsWith(':') || pattern.endsWith(':') || pattern.includes('::')
                ? 'has an empty part, which no id does'
                : undefined
  return why && `${why}: write *, main, a plugin name, prefix-*, plugin:component, plugin:dir:agent or plugin:*`
}

/** A key given twice keeps only its last value: a rule or switch its author wrote first would not apply. */
function duplicateKeyProblems(text: string): string[] {
  return duplicateJsonKeys(text)
    .slice(0, MAX_PROBLEMS)
    .map(
      ({ path, key }) =>
        `${path ? `${path}.` : ''}${inert(key)}: given twice, and only the last would apply; keep one (merge the two)`,
    )
}
