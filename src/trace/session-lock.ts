/**
 * A short exclusive section for one session: the guard reads the call log, decides and appends, and
 * parallel hook processes (a fan-out of several calls in one message) must not all decide on the same
 * stale count. `mkdir` is atomic; the holder removes the folder; a lock older than STALE_MS (its
 * holder was killed) is broken. Appends outside the section stay lock-free (call-log.ts).
 */
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

const STALE_MS = 2_000
const WAIT_MS = 5

export function withSessionLock<T>(dir: string, work: () => T): T {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const lock = join(dir, 'lock')
  const deadline = Date.now() + STALE_MS * 2
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      if (isStale(lock)) rmSync(lock, { recursive: true, force: true })
      else if (Date.now() > deadline) break // never block a call forever: decide without the lock
      else sleep(WAIT_MS)
    }
  }
  try {
    return work()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > STALE_MS
  } catch {
    return false
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}
