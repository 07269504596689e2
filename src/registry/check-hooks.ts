/**
 * A plugin's hooks files, judged the way Claude Code 2.1.331 loads them: some mistakes refuse the
 * whole plugin (the guard events PreToolUse and PermissionRequest misplaced or malformed, or `hooks`
 * not an object), others only lose hooks ("hook-load-failed"). 2.1.197 never refused the plugin for
 * these, but lost every hook of the file.
 */
import { isObject, warning } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import { HOOK_EVENTS, HOOK_HANDLER_TYPES, HookMatcherGroupSchema } from '../manifest/index.ts'
import { z } from 'zod'

const GUARD_EVENTS = new Set(['PreToolUse', 'PermissionRequest'])
const KNOWN_EVENTS: ReadonlySet<string> = new Set(HOOK_EVENTS)
const GROUPS = z.array(HookMatcherGroupSchema)

export interface HooksVerdict {
  /** Why Claude Code refuses the plugin because of this hooks config, or null. */
  fatal: string | null
  diagnostics: Diagnostic[]
}

/** Checks a hooks file's parsed JSON (`{ "hooks": { ... } }`), or an inline event map when `inline`. */
export function checkHooksConfig(value: unknown, file: string, inline = false): HooksVerdict {
  const diagnostics: Diagnostic[] = []
  const lost = (message: string, path?: string): void => {
    diagnostics.push(warning('HOOKS_NOT_LOADED', file, message, path))
  }
  if (!isObject(value)) {
    return { fatal: `${file}: hooks must be an object mapping event names to matcher arrays`, diagnostics }
  }
  const events = inline ? value : value.hooks
  if (!inline && !('hooks' in value)) {
    const misplaced = Object.keys(value).filter((key) => GUARD_EVENTS.has(key))
    if (misplaced.length > 0) {
      return {
        fatal: `${file} declares ${misplaced.join('/')} at its top level, outside "hooks". Wrap the events: { "hooks": { "PreToolUse": [...] } }`,
        diagnostics,
      }
    }
    lost(
      'this file has no "hooks" object, so Claude Code loads none of its hooks. Wrap the events: { "hooks": { "SessionStart": [...] } }',
    )
    return { fatal: null, diagnostics }
  }
  if (!isObject(events)) {
    return {
      fatal: `${file}: "hooks" must be an object mapping event names to matcher arrays, e.g. { "PreToolUse": [...] }, not ${Array.isArray(events) ? 'a list' : typeof events}`,
      diagnostics,
    }
  }
  for (const [event, groups] of Object.entries(events)) {
    const path = inline ? event : `hooks.${event}`
    if (!KNOWN_EVENTS.has(event)) {
      lost(
        `"${event}" is not a Claude Code hook event, so these hooks never run. Events are named like "PreToolUse" or "SessionStart" (case matters).`,
        path,
      )
      continue
    }
    if (plainlyValid(groups)) continue
    const parsed = GROUPS.safeParse(groups)
    if (parsed.success) continue
    const reason = parsed.error.issues[0]?.message ?? 'invalid'
    if (GUARD_EVENTS.has(event)) {
      return {
        fatal: `${file}: ${path}: ${reason}. Claude Code refuses plugins whose ${event} hooks are malformed.`,
        diagnostics,
      }
    }
    lost(`${reason}; Claude Code drops these ${event} hooks (2.1.197 drops every hook of the file).`, path)
  }
  return { fatal: null, diagnostics }
}

// --- internal ---

const HANDLER_TYPES: ReadonlySet<unknown> = new Set(HOOK_HANDLER_TYPES)

/**
 * Whether an event's matcher groups plainly pass GROUPS (`[{ matcher?: string, hooks: [{ type, timeout? }] }]`,
 * other keys free), told without zod; anything else is zod's to judge. Most hooks files are plainly valid, and
 * zod's first use of a schema makes its parser (measured: zod's own frames in a corpus first build, for its 12
 * hooks files, about 2 ms). Held to zod by test/registry/check-hooks.test.ts.
 */
export function plainlyValid(groups: unknown): boolean {
  if (!Array.isArray(groups)) return false
  for (const group of groups) {
    if (!isObject(group) || !(group.matcher === undefined || typeof group.matcher === 'string')) return false
    const handlers = group.hooks
    if (!Array.isArray(handlers)) return false
    for (const handler of handlers) {
      if (!isObject(handler) || !HANDLER_TYPES.has(handler.type)) return false
      const timeout = handler.timeout
      if (!(timeout === undefined || (typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0)))
        return false
    }
  }
  return true
}
