// The session lock, between real processes. Mutual exclusion: each worker reads a counter, waits,
// and writes it back plus one; without the lock updates are lost, with it none is. Ownership: a
// lock is broken only when its owner is gone, never while its owner lives, and a waiter that runs
// out of time decides nothing.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { beforeAll, describe, expect, it } from 'vitest'
import { SwitchboardError } from '../../src/common/index.ts'
import { type SessionLockError, withSessionLock } from '../../src/trace/index.ts'
import { REPO } from '../helpers/cli.ts'
import { testdir } from '../helpers/testdir.ts'

let worker = ''
let unlocked = ''

// node worker.mjs <dir> bump        : read-wait-write the counter, inside the lock
// node worker.mjs <dir> hold <ms>   : take the lock, print "held", keep it <ms>, write "released" with the time
beforeAll(async () => {
  const out = testdir()
  const bundle = async (file: string, contents: string) => {
    await build({
      stdin: { contents, resolveDir: REPO, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: join(out, file),
      logLevel: 'error',
    })
    return join(out, file)
  }
  const bump = `
    import { readFileSync, writeFileSync } from 'node:fs'
    import { join } from 'node:path'
    const [dir, mode, ms] = process.argv.slice(2)
    const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
    const bump = () => {
      const value = Number(readFileSync(join(dir, 'counter'), 'utf8'))
      sleep(150)
      writeFileSync(join(dir, 'counter'), String(value + 1))
    }
    const hold = () => {
      process.stdout.write('held\\n')
      sleep(Number(ms))
      writeFileSync(join(dir, 'released'), String(Date.now()))
    }
  `
  worker = await bundle(
    'worker.mjs',
    `${bump}\nimport { withSessionLock } from './src/trace/index.ts'\nwithSessionLock(dir, mode === 'hold' ? hold : bump)`,
  )
  unlocked = await bundle('unlocked.mjs', `${bump}\nbump()`)
})

function race(dir: string, script: string, processes: number): Promise<number> {
  writeFileSync(join(dir, 'counter'), '0')
  const runs = Array.from(
    { length: processes },
    () => new Promise((resolve) => spawn(process.execPath, [script, dir, 'bump']).on('close', resolve)),
  )
  return Promise.all(runs).then(() => Number(readFileSync(join(dir, 'counter'), 'utf8')))
}

/** A process that holds the lock for `ms`; resolves once it holds it. */
async function holder(dir: string, ms: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [worker, dir, 'hold', String(ms)])
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve())
    child.on('close', () => reject(new Error('the holder ended before it held the lock')))
  })
  return child
}

const ended = (child: ChildProcess) =>
  new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.on('close', resolve),
  )

describe('withSessionLock', () => {
  it('serialises read-modify-write across 10 processes (and the race is real without it)', async () => {
    expect(await race(testdir(), worker, 10)).toBe(10)
    expect(await race(testdir(), unlocked, 10)).toBeLessThan(10)
  })

  it('breaks at once the lock of a holder that was killed, and exactly one racer takes it at a time', async () => {
    const dir = testdir()
    const killed = await holder(dir, 60_000)
    killed.kill('SIGKILL')
    await ended(killed)
    const start = Date.now()
    expect(withSessionLock(dir, () => 'ran')).toBe('ran')
    expect(Date.now() - start).toBeLessThan(1_000) // no waiting for a lock whose owner is gone
    // Again, with 10 processes that all find the dead owner's lock at once: none loses an update.
    const again = await holder(dir, 60_000)
    again.kill('SIGKILL')
    await ended(again)
    expect(await race(dir, worker, 10)).toBe(10)
  })

  it('never takes the lock of a live owner, however long it holds it', async () => {
    const dir = testdir()
    const live = await holder(dir, 3_000) // longer than the old lock's 2 s "stale" age
    let ranAt = 0
    withSessionLock(dir, () => (ranAt = Date.now()), { timeoutMs: 8_000 })
    await ended(live)
    const released = Number(readFileSync(join(dir, 'released'), 'utf8'))
    expect(ranAt).toBeGreaterThanOrEqual(released)
  })

  it('a waiter that runs out of time throws SESSION_LOCK_BUSY and does not run its work', async () => {
    const dir = testdir()
    const live = await holder(dir, 3_000)
    let ran = false
    const start = Date.now()
    let thrown: unknown
    try {
      withSessionLock(dir, () => (ran = true), { timeoutMs: 500 })
    } catch (error) {
      thrown = error
    }
    expect(ran).toBe(false)
    expect(thrown).toBeInstanceOf(SwitchboardError)
    expect((thrown as SwitchboardError).code).toBe('SESSION_LOCK_BUSY')
    expect(Date.now() - start).toBeLessThan(2_500)
    // The owner's lock survived the waiter: the owner finishes, and then the lock is free again.
    expect(existsSync(join(dir, 'released'))).toBe(false)
    await ended(live)
    expect(withSessionLock(dir, () => 'free', { timeoutMs: 500 })).toBe('free')
  })

  it('says at once which folder cannot be written, why, and the fix', () => {
    // Tests run as root here, where chmod 0500 does not stop a write; a folder under a regular
    // file cannot be created by anyone (ENOTDIR), which is the same failure to the lock.
    const file = join(testdir({ 'not-a-folder': 'x' }), 'not-a-folder')
    const start = Date.now()
    let thrown: unknown
    try {
      withSessionLock(join(file, 'sessions', 's'), () => 'ran')
    } catch (error) {
      thrown = error
    }
    expect(Date.now() - start).toBeLessThan(1_000)
    expect(thrown).toBeInstanceOf(SwitchboardError)
    expect((thrown as SwitchboardError).code).toBe('DATA_DIR_UNWRITABLE')
    expect((thrown as Error).message).toContain(join(file, 'sessions', 's'))
    expect((thrown as Error).message).toContain('ENOTDIR')
    expect((thrown as SessionLockError).fix).toContain('SWITCHBOARD_DATA_DIR')
  })
})
