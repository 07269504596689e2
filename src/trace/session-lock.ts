/**
 * A short exclusive section for one session: the guard reads the call log, decides and appends, and
 * parallel calls (a fan-out of several calls in one message; the MCP server answering the settings
 * hooks beside the CLI or SessionStart's process) must not all decide on the same stale count, or a
 * call budget is overrun (docs/security.md, "The trace and where state lives").
 * Appends outside the section stay lock-free (call-log.ts).
 *
 * The lock is a folder `lock/` holding one file named for its owner, `<pid>-<token>-<taken at>`:
 * - take: build `lock-<token>/` with the owner's file in it, then rename it to `lock`. A rename onto
 *   a folder that is not empty fails, so one taker wins, and nobody ever sees a lock without owner.
 * - release: the owner deletes its own file, by its unique name, so never another's; then the
 *   folder, which `rmdir` removes only while it is empty.
 * - break: only a lock whose owner is provably gone (its pid no longer exists) or older than any
 *   hold can be. The breaker deletes that owner's file by name: of two breakers one succeeds, the
 *   other gets ENOENT, and neither can delete a newer owner's file. Then both race to take, as above.
 * A waiter backs off (sleeping, never spinning) until its time is up, then throws SESSION_LOCK_BUSY:
 * the work never runs without the lock.
 */
import { lstatSync, mkdirSync, opendirSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import type { Dir } from 'node:fs'
import { join } from 'node:path'
import { isLink, SwitchboardError } from '../common/index.ts'

/** How long a waiter waits by default; the PreToolUse hook passes what is left of its own timeout. */
const LOCK_TIMEOUT_MS = 5_000

export interface LockOptions {
  /** How long to wait for the lock before giving up with SESSION_LOCK_BUSY. */
  timeoutMs?: number
}

/** Why the lock could not be had; `fix` is what the user (or the calling model) can do about it. */
export class SessionLockError extends SwitchboardError {
  constructor(
    code: 'SESSION_LOCK_BUSY' | 'DATA_DIR_UNWRITABLE',
    message: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options)
  }
}

/**
 * Runs `work` while holding the session's lock. Throws SessionLockError: SESSION_LOCK_BUSY when the
 * lock stayed held past `timeoutMs` (work not run), DATA_DIR_UNWRITABLE at once when the folder
 * cannot be written. Waits by blocking the thread: for a process of its own (the CLI, SessionStart).
 */
export function withSessionLock<T>(dir: string, work: () => T, options: LockOptions = {}): T {
  const taking = startTaking(dir, options.timeoutMs ?? LOCK_TIMEOUT_MS)
  let owner = taking.attempt()
  while (typeof owner === 'number') {
    sleep(owner)
    owner = taking.attempt()
  }
  try {
    return work()
  } finally {
    release(taking.lock, owner)
  }
}

/**
 * withSessionLock for a process that answers many calls (the MCP server answering a session's hooks): it
 * waits with a timer, so the calls that arrive meanwhile are read when they arrive, and wait (and time
 * out) each from its own arrival. Blocking there held them unread until the wait ended, and a call
 * queued behind two waits outlived Claude Code's 10 s hook timeout, which lets the call run unchecked.
 * `work` stays synchronous: the exclusive section is the lock's alone, across processes and within one.
 */
export async function withSessionLockAsync<T>(dir: string, work: () => T, options: LockOptions = {}): Promise<T> {
  const taking = startTaking(dir, options.timeoutMs ?? LOCK_TIMEOUT_MS)
  let owner = taking.attempt()
  while (typeof owner === 'number') {
    await new Promise((resolve) => setTimeout(resolve, owner as number))
    owner = taking.attempt()
  }
  try {
    return work()
  } finally {
    release(taking.lock, owner)
  }
}

// --- internal ---

/**
 * One waiter's attempts at the lock: each answers the owner file's name once taken, or how long to back
 * off before the next (sleeping, never spinning; jitter, so waiters do not wake in step), and throws
 * SESSION_LOCK_BUSY once the time is up.
 */
function startTaking(dir: string, timeoutMs: number): { lock: string; attempt: () => string | number } {
  guardWrite(dir, () => mkdirSync(dir, { recursive: true, mode: 0o700 }))
  const lock = join(dir, 'lock')
  // Tells this holder from others, nothing more: no secret, so no node:crypto (8 ms to load in a hook).
  // Hex, as OWNER reads it.
  const token = `${process.pid.toString(16)}${Date.now().toString(16)}${Math.random().toString(16).slice(2, 10)}`
  const deadline = Date.now() + timeoutMs
  let pause = 2
  const attempt = (): string | number => {
    for (;;) {
      // A link where the lock folder goes is none of ours (a model's Bash step can plant one): removed
      // itself, never followed, or breaking an abandoned lock would unlink the files it leads to.
      if (isLink(lock)) {
        removeLink(dir, lock)
        continue
      }
      const held = ownerOf(dir, lock)
      if (held === undefined) {
        const owner = tryTake(dir, lock, token)
        if (owner) return owner
      } else if (isAbandoned(lock, held)) {
        breakLock(dir, lock, held)
        continue // broken or already gone: race for it at once
      }
      const left = deadline - Date.now()
      if (left <= 0) {
        const holder = OWNER.exec(ownerOf(dir, lock) ?? '')?.[1]
        throw new SessionLockError(
          'SESSION_LOCK_BUSY',
          `another call of this session${holder ? ` (pid ${holder})` : ''} held its lock ${lock} for as long as this call could wait (${timeoutMs} ms), so the call was not checked`,
          'Nothing was decided or recorded; retry the call, or make fewer calls at once',
        )
      }
      const wait = Math.min(left, pause * (0.5 + Math.random() / 2))
      pause = Math.min(pause * 2, 50)
      return wait
    }
  }
  return { lock, attempt }
}

/** Older than any hold can be: the PreToolUse hook is killed after 10 s (hooks/hooks.json). */
const ABANDONED_MS = 60_000
const OWNER = /^(\d+)-[0-9a-f]+-(\d+)$/

/**
 * The owner file's name, or undefined when the lock is free (no folder, or an empty one). Only the
 * first entry is read: a lock folder a model's Bash step filled with a million files took seconds to
 * list at every attempt, past the hook's timeout, after which Claude Code runs the call unchecked.
 */
function ownerOf(dir: string, lock: string): string | undefined {
  let folder: Dir
  try {
    folder = opendirSync(lock)
  } catch (thrown) {
    if (codeOf(thrown) === 'ENOENT') return undefined
    throw unwritable(dir, thrown)
  }
  try {
    return folder.readSync()?.name
  } finally {
    folder.closeSync()
  }
}

/** One attempt: the owner's name when taken, undefined when another process has it. */
function tryTake(dir: string, lock: string, token: string): string | undefined {
  const staging = join(dir, `lock-${token}`)
  const owner = `${process.pid}-${token}-${Date.now()}`
  guardWrite(dir, () => {
    mkdirSync(staging, { mode: 0o700 })
    writeFileSync(join(staging, owner), '', { mode: 0o600 })
  })
  try {
    renameSync(staging, lock)
    return owner
  } catch (thrown) {
    rmSync(staging, { recursive: true, force: true })
    // Held (not empty). On systems where rename cannot replace even an empty folder, an empty one
    // is a released lock whose owner died before removing it: rmdir removes it only while empty.
    if (
      codeOf(thrown) === 'ENOTEMPTY' ||
      codeOf(thrown) === 'EEXIST' ||
      (codeOf(thrown) === 'EPERM' && process.platform === 'win32')
    ) {
      try {
        rmdirSync(lock)
      } catch {
        // not empty: someone holds it
      }
      return undefined
    }
    throw unwritable(dir, thrown)
  }
}

function isAbandoned(lock: string, owner: string): boolean {
  const match = OWNER.exec(owner)
  if (!match) return Date.now() - mtimeOf(join(lock, owner)) > ABANDONED_MS // not a name we write: judged by age only
  if (Date.now() - Number(match[2]) > ABANDONED_MS) return true // covers a pid reused since
  try {
    process.kill(Number(match[1]), 0)
    return false
  } catch (thrown) {
    return codeOf(thrown) === 'ESRCH' // EPERM: it exists, run by another user
  }
}

function removeLink(dir: string, link: string): void {
  try {
    unlinkSync(link)
  } catch (thrown) {
    if (codeOf(thrown) !== 'ENOENT') throw unwritable(dir, thrown) // ENOENT: another call was first
  }
}

function mtimeOf(file: string): number {
  try {
    return lstatSync(file).mtimeMs
  } catch {
    return Date.now() // gone already: nothing to break
  }
}

function breakLock(dir: string, lock: string, owner: string): void {
  try {
    unlinkSync(join(lock, owner))
  } catch (thrown) {
    if (codeOf(thrown) !== 'ENOENT') throw unwritable(dir, thrown) // ENOENT: another breaker was first
  }
  try {
    rmdirSync(lock)
  } catch {
    // taken again meanwhile (not empty), or removed by another breaker
  }
}

function release(lock: string, owner: string): void {
  try {
    unlinkSync(join(lock, owner)) // by its unique name: only ever our own file
    rmdirSync(lock) // only while empty: a newer owner's lock stays
  } catch {
    // already free, or taken by the next owner
  }
}

function guardWrite(dir: string, write: () => void): void {
  try {
    write()
  } catch (thrown) {
    throw unwritable(dir, thrown)
  }
}

/** Read-only, not a folder, no permission: said at once, since waiting cannot fix it. */
function unwritable(dir: string, cause: unknown): SessionLockError {
  const code = codeOf(cause) ?? 'error'
  const why =
    code === 'ENOTDIR'
      ? 'part of the path is a file, not a folder'
      : code === 'EACCES' || code === 'EPERM'
        ? 'no permission to write there'
        : code === 'EROFS'
          ? 'the file system is read-only'
          : (cause as Error)?.message
  return new SessionLockError(
    'DATA_DIR_UNWRITABLE',
    `cannot write Switchboard's session folder ${dir} (${code}: ${why})`,
    "Make Switchboard's data folder writable, or set SWITCHBOARD_DATA_DIR to a writable folder (docs/security.md)",
    { cause },
  )
}

function codeOf(thrown: unknown): string | undefined {
  return (thrown as NodeJS.ErrnoException)?.code
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}
