// The session lock, between real processes: each one reads a counter, waits, and writes it back
// plus one. Without mutual exclusion, updates are lost; with it, none is.
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { REPO } from '../helpers/cli.ts'
import { testdir } from '../helpers/testdir.ts'

async function workerScript(dir: string, locked: boolean): Promise<string> {
  const file = join(dir, locked ? 'locked.mjs' : 'unlocked.mjs')
  await build({
    stdin: {
      contents: `
        import { readFileSync, writeFileSync } from 'node:fs'
        import { join } from 'node:path'
        import { withSessionLock } from './src/trace/index.ts'
        const dir = process.argv[2]
        const bump = () => {
          const value = Number(readFileSync(join(dir, 'counter'), 'utf8'))
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150)
          writeFileSync(join(dir, 'counter'), String(value + 1))
        }
        ${locked ? 'withSessionLock(dir, bump)' : 'bump()'}
      `,
      resolveDir: REPO,
      loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'esm', outfile: file, logLevel: 'error',
  })
  return file
}

async function race(locked: boolean, processes: number): Promise<number> {
  const dir = testdir()
  writeFileSync(join(dir, 'counter'), '0')
  const script = await workerScript(dir, locked)
  await Promise.all(Array.from({ length: processes }, () => new Promise((resolve) => spawn(process.execPath, [script, dir]).on('close', resolve))))
  return Number(readFileSync(join(dir, 'counter'), 'utf8'))
}

describe('withSessionLock', () => {
  it('serialises read-modify-write across 10 processes (and the race is real without it)', async () => {
    expect(await race(true, 10)).toBe(10)
    expect(await race(false, 10)).toBeLessThan(10)
  })
})
