/**
 * A `$` whose `fs` is the real disk, as Claude Code 2.1.332 answers a hooks module where no `fs.*` hook judges
 * the call (read from its binary, docs/claude-code-notes.md "Mods"): `write` makes the folders and writes the
 * file in place, following a link and writing into a hard link's other names; `list` gives each entry's kind,
 * size and isLink (a link is `other`); `stat` says isLink; a range read refuses what is not a file. For tests
 * of what the module does with files a model's Bash step put in its folders. The rest of `$` answers as a
 * session with nothing in it would.
 */
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Engine } from '../../src/module/mod-api.ts'
import { fsFailure } from './module-handlers.ts'

const failure = (call: string, path: string, thrown: unknown) =>
  fsFailure(call, path, (thrown as NodeJS.ErrnoException).code ?? 'EIO')

export function diskEngine(env: Record<string, string>, sessionId = 's1'): Engine {
  return {
    fs: {
      read: (async (path: string, options?: { length?: number; as?: 'bytes' }) => {
        try {
          const stats = statSync(path)
          if (options?.length !== undefined && !stats.isFile()) throw Object.assign(new Error(), { code: 'EINVAL' })
          // A whole read's answer over 4 MiB rejects (the API's declarations).
          if (options?.length === undefined && stats.size > 4 * 1024 * 1024)
            throw Object.assign(new Error(), { code: 'EFBIG' })
          const fd = openSync(path, 'r')
          try {
            const bytes = Buffer.alloc(Math.min(stats.size, options?.length ?? stats.size))
            readSync(fd, bytes, 0, bytes.length, 0)
            return options?.as === 'bytes' ? { base64: bytes.toString('base64') } : bytes.toString('utf8')
          } finally {
            closeSync(fd)
          }
        } catch (thrown) {
          throw failure('read', path, thrown)
        }
      }) as Engine['fs']['read'],
      write: async (path: string, text: string) => {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
        await writeFile(path, text, { encoding: 'utf8', mode: 0o600 })
      },
      list: async (dir: string) => {
        try {
          return readdirSync(dir, { withFileTypes: true }).map((entry) => ({
            name: entry.name,
            kind: entry.isSymbolicLink() ? 'other' : entry.isFile() ? 'file' : entry.isDirectory() ? 'dir' : 'other',
            size: entry.isFile() ? lstatSync(`${dir}/${entry.name}`).size : 0,
            isLink: entry.isSymbolicLink(),
          }))
        } catch (thrown) {
          throw failure('list', dir, thrown)
        }
      },
      exists: async (path: string) => statSync(path, { throwIfNoEntry: false }) !== undefined,
      stat: async (path: string) => {
        try {
          const own = lstatSync(path)
          const stats = own.isSymbolicLink() ? statSync(path) : own
          const kind = stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : 'other'
          return { kind, size: stats.size, mtimeMs: stats.mtimeMs, isLink: own.isSymbolicLink() }
        } catch (thrown) {
          throw failure('stat', path, thrown)
        }
      },
    },
    env: { get: async (name: string) => env[name], set: async () => ({}) },
    session: { id: async () => sessionId, info: async () => ({}), turns: async () => 1 },
    process: {
      hookEnv: async () => {
        throw new Error('no hook environment in this test')
      },
    },
    agent: { list: async () => [], call: async () => ({}), limits: async () => ({ concurrent: 1, depth: 4 }) },
    clock: { now: async () => Date.now(), sleep: async () => {} },
    plugin: { name: 'switchboard', root: '/plugins/switchboard' },
  } as unknown as Engine
}
