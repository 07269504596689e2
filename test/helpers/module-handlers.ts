// The hooks module's handlers driven in process, as Claude Code calls them: `register` with a recording `on`,
// a handler run with a `next` that answers what the engine would, and on a throw its `.catch` with that
// error on `next`. `memoryEngine` is a `$` whose file system is a Map (the data folder, policy files,
// snapshot), for unit tests of what the module decides; the end-to-end tests run the real one.
import { join } from 'node:path'
import { register } from '../../src/module/register.ts'
import type { Engine } from '../../src/module/mod-api.ts'
import { buildRegistry } from '../../src/registry/index.ts'
import { toSnapshot } from '../../src/registry/snapshot-store.ts'
import { REPO } from './cli.ts'

type Handler = (...args: unknown[]) => Promise<unknown>
export interface Registered {
  handler: Handler
  fallback?: Handler
}

/**
 * A `$.fs` call's failure as Claude Code rejects it (2.1.331, 2.1.332): a HooksError whose message ends with
 * the errno, `switchboard: $.fs.stat(<path>) failed: ENOENT`, and no `code`.
 */
export function fsFailure(call: string, path: string, errno: string): Error {
  return new Error(`switchboard: $.fs.${call}(${path}) failed: ${errno}`)
}

/** Every handler the module registers, by event (and its matcher as JSON, where it has one). */
export function loadHandlers(): Map<string, Registered> {
  const handlers = new Map<string, Registered>()
  const on = (event: string, ...rest: unknown[]) => {
    const entry: Registered = { handler: rest.at(-1) as Handler }
    handlers.set(`${event}${rest.length > 1 ? JSON.stringify(rest[0]) : ''}`, entry)
    return {
      catch: (fallback: Handler) => {
        entry.fallback = fallback
      },
    }
  }
  register(on as never)
  return handlers
}

/** Runs a handler as Claude Code does: on a throw, its .catch with `next` carrying the error. */
export async function dispatch(
  entry: Registered,
  $: Engine,
  e: unknown,
  answer: unknown,
  origin = 'engine',
): Promise<{ result: unknown; nextCalls: number }> {
  let nextCalls = 0
  const next = Object.assign(
    async () => {
      nextCalls++
      return answer
    },
    { called: false as boolean, error: undefined as unknown, origin: { plugin: origin, tier: 'user' } },
  )
  try {
    return { result: await entry.handler($, e, next), nextCalls }
  } catch (error) {
    // Claude Code hands a .catch the failure, not what was thrown: its message (HookFailure, 2.1.332).
    next.error = { kind: 'throw', message: error instanceof Error ? error.message : String(error), budget: 1000 }
    next.called = nextCalls > 0
    return { result: await entry.fallback!($, e, next), nextCalls }
  }
}

/** The example plugins' registry snapshot, as SessionStart would write it. */
export function examplesSnapshot(): string {
  const pluginDirs = ['tdd-editor', 'tdd-design', 'tdd-tech', 'tdd-growth'].map((p) => join(REPO, 'examples', p))
  return JSON.stringify(
    toSnapshot(buildRegistry({ cwd: REPO, env: { HOME: '/nonexistent' }, installed: false, pluginDirs })),
  )
}

/**
 * A `$` over `files` (path → text): reads, writes, listings and existence answered from the Map, a write
 * refused where `refuseWrite` says so, `dangling` links leading nowhere. `env` answers `$.env.get`; the session is `sessionId`; `agents` is
 * what `$.agent.list()` answers; `turns.now` what `$.session.turns()` does (1 where not given).
 */
export function memoryEngine(
  files: Map<string, string>,
  env: Record<string, string>,
  options: {
    sessionId?: string
    refuseWrite?: (path: string) => boolean
    /** Links that lead nowhere: `$.fs.exists` says false, `$.fs.stat` a link, a read rejects (2.1.332, probed). */
    dangling?: string[]
    agents?: unknown[]
    turns?: { now: number }
  } = {},
): Engine {
  const refused = (path: string) =>
    Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' })
  return {
    fs: {
      read: (async (path: string, options?: { as: 'bytes' }) => {
        const text = files.get(path)
        if (text === undefined) throw fsFailure('read', path, 'ENOENT')
        return options?.as === 'bytes' ? { base64: Buffer.from(text).toString('base64') } : text
      }) as Engine['fs']['read'],
      write: async (path: string, text: string) => {
        if (options.refuseWrite?.(path)) throw refused(path)
        files.set(path, text)
      },
      list: async (dir: string) =>
        [...files.keys()]
          .filter((k) => k.startsWith(`${dir}/`))
          .map((k) => ({ name: k.slice(dir.length + 1), kind: 'file' })),
      exists: async (path: string) => files.has(path) || [...files.keys()].some((k) => k.startsWith(`${path}/`)),
      // As Claude Code answers (2.1.332): a dangling link is a link; nothing there is ENOENT.
      stat: async (path: string) => {
        if (options.dangling?.includes(path)) return { kind: 'other', size: 0, mtimeMs: 0, isLink: true }
        if (files.has(path)) return { kind: 'file', size: files.get(path)!.length, mtimeMs: 0, isLink: false }
        if ([...files.keys()].some((k) => k.startsWith(`${path}/`)))
          return { kind: 'directory', size: 0, mtimeMs: 0, isLink: false }
        throw fsFailure('stat', path, 'ENOENT')
      },
    },
    env: { get: async (name: string) => env[name], set: async () => ({}) },
    session: {
      id: async () => options.sessionId ?? 'session-1',
      info: async () => ({}),
      turns: async () => options.turns?.now ?? 1,
    },
    process: {
      hookEnv: async () => {
        throw new Error('no hook environment here')
      },
    },
    agent: {
      list: async () => options.agents ?? [],
      call: async () => ({}),
      limits: async () => ({ concurrent: 1, depth: 4 }),
    },
    clock: { now: async () => Date.now(), sleep: async () => {} },
    plugin: { name: 'switchboard', root: '/plugins/switchboard' },
  } as unknown as Engine
}
