import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** Hundreds of real plugins (../shared/corpus, data only); absent on a machine without ../shared. */
export const CORPUS = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'corpus')
export const HAS_CORPUS = existsSync(CORPUS)

/** Where a markdown file lies: under an agents/, commands/ or skills/ folder, or elsewhere. */
export type CorpusFileKind = 'agent' | 'command' | 'skill' | undefined

/**
 * Every markdown file of the corpus under 1 MiB (Claude Code's limit), with its bytes and the kind of
 * component folder it is under, walked once and kept for the test files that hold a fast path to a
 * slow reading over all of them.
 */
export function corpusMarkdownFiles(): Array<{ path: string; bytes: Buffer; kind: CorpusFileKind }> {
  if (cached) return cached
  const files: Array<{ path: string; bytes: Buffer; kind: CorpusFileKind }> = []
  const walk = (dir: string, kind: CorpusFileKind, depth: number): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry)
      const stats = statSync(path, { throwIfNoEntry: false })
      const here = KINDS[entry] ?? kind
      if (stats?.isDirectory() && depth < 8 && entry !== 'node_modules') walk(path, here, depth + 1)
      else if (stats?.isFile() && entry.toLowerCase().endsWith('.md') && stats.size < 1_048_576)
        files.push({ path, bytes: readFileSync(path), kind })
    }
  }
  if (HAS_CORPUS) walk(CORPUS, undefined, 0)
  cached = files
  return files
}

/** Says in the test output that a corpus test was skipped, and why. */
export function warnWithoutCorpus(test: string): void {
  if (!HAS_CORPUS) console.warn(`${test}: ${CORPUS} is absent here, so the corpus comparison is skipped`)
}

// --- internal ---

const KINDS: Record<string, CorpusFileKind> = { agents: 'agent', commands: 'command', skills: 'skill' }
let cached: Array<{ path: string; bytes: Buffer; kind: CorpusFileKind }> | undefined
