/**
 * The one way Switchboard replaces a state file: write a private temporary file beside it, then
 * rename it over the old one. A reader sees the old content or the new, never half of either, and
 * concurrent writers leave the last complete write. Folders are created 0700, files 0600: state holds
 * prompts, results and context values, readable by the user only.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  try {
    writeFileSync(temporary, text, { mode: 0o600 })
    renameSync(temporary, file)
  } catch (thrown) {
    rmSync(temporary, { force: true })
    throw thrown
  }
}
