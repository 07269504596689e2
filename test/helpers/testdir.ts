import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll } from 'vitest'

/** A temporary folder with the given files (path -> text or bytes, or object -> JSON); removed after the file's tests. */
export function testdir(files: Record<string, string | object> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'switchboard-test-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  writeFiles(root, files)
  return root
}

export function writeFiles(root: string, files: Record<string, string | object>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    const raw = typeof content === 'string' || content instanceof Uint8Array
    writeFileSync(join(root, path), raw ? content : `${JSON.stringify(content, null, 2)}\n`)
  }
}

/** Copies a fixture plugin into a folder (so a test may change it). */
export function copyFixture(from: string, to: string): string {
  cpSync(from, to, { recursive: true })
  return to
}
