/**
 * Claude Code's own config file (`~/.claude.json`), where the person's `/mcp` switches live: only read
 * here, never written (`switchboard doctor`, and SessionStart in settings mode). What its entries mean
 * for Switchboard is decided by pure code beside its use (trace/runtime.ts, disabledMcpBlock).
 *
 * Where Claude Code keeps it (2.1.197, read from its code and probed): `<config dir>/.config.json` where
 * that legacy file exists, else `.claude.json` in `$CLAUDE_CONFIG_DIR`, or in the home folder. A
 * project's switches are under `projects[<key>]`, the key being the folder of the git repository the
 * session runs in (the nearest folder up holding `.git`), else the session's folder.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { claudeLocations } from './claude-paths.ts'
import type { Env } from './claude-paths.ts'

/** The config file's text, and the keys its entry for the project at `cwd` may be under. */
export interface ProjectConfig {
  file: string
  text: string
  projectKeys: string[]
}

/**
 * Undefined where the file is absent, unreadable, larger than `maxBytes`, or never names `server`: nothing
 * switched off there. The file can hold hundreds of megabytes (project histories): its bytes are searched
 * for the server's name before anything is decoded (a 313 MB file otherwise cost SessionStart 5 s).
 */
export function readProjectConfig(
  env: Env,
  cwd: string,
  server: string,
  maxBytes = Number.POSITIVE_INFINITY,
): ProjectConfig | undefined {
  const legacy = join(claudeLocations(env, cwd).configDir, '.config.json')
  const file = existsSync(legacy) ? legacy : join(env.CLAUDE_CONFIG_DIR || env.HOME || homedir(), '.claude.json')
  let bytes: Buffer
  try {
    if (statSync(file).size > maxBytes) return undefined
    bytes = readFileSync(file)
  } catch {
    return undefined
  }
  if (bytes.indexOf(server) < 0) return undefined
  return { file, text: bytes.toString('utf8'), projectKeys: projectKeys(resolve(cwd)) }
}

// --- internal ---

/**
 * The repository's folder (and, in a git worktree, also its main checkout's, which later versions key a
 * worktree's settings by), else the folder itself; in Unicode's composed form, as Claude Code keys them.
 */
function projectKeys(cwd: string): string[] {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const git = join(dir, '.git')
    const stat = statSync(git, { throwIfNoEntry: false })
    if (stat?.isDirectory()) return [dir.normalize('NFC')]
    if (stat?.isFile()) return [dir, ...mainCheckout(git)].map((key) => key.normalize('NFC'))
    if (dirname(dir) === dir) return [cwd.normalize('NFC')]
  }
}

/** A worktree's `.git` file says `gitdir: <main>/.git/worktrees/<name>`: the main checkout's folder. */
function mainCheckout(gitFile: string): string[] {
  try {
    const gitdir = /^gitdir: (.+)$/m.exec(readFileSync(gitFile, 'utf8'))?.[1]?.trim()
    const main = gitdir && /^(.*)[\\/]\.git[\\/]worktrees[\\/][^\\/]+[\\/]?$/.exec(resolve(dirname(gitFile), gitdir))
    return main ? [main[1]!] : []
  } catch {
    return []
  }
}
