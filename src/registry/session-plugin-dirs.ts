/**
 * The plugin folders of the running Claude Code session, read from its command line. Claude Code
 * records `--plugin-dir` plugins nowhere on disk, but a hook process is its child (exec-form hooks
 * directly; shell-form ones through a shell), so on Linux the session's argv is in
 * /proc/<pid>/cmdline. Verified on 2.1.197 and 2.1.331 (test/e2e). Elsewhere this returns nothing
 * and SWITCHBOARD_PLUGIN_DIRS is the way.
 */
import { readFileSync, readlinkSync } from 'node:fs'
import { isClaudeCodeArgv, pluginDirsOfArgv } from './snapshot-locator.ts'

/** How many ancestors to look through (hook -> shell -> claude, or CLI -> shell -> claude). */
const MAX_DEPTH = 4

export function sessionPluginDirs(startPid: number = process.ppid): string[] {
  let pid = startPid
  for (let depth = 0; depth < MAX_DEPTH && pid > 1; depth++) {
    const argv = readArgv(pid)
    if (!argv) return []
    if (isClaudeCodeArgv(argv)) return pluginDirsOfArgv(argv, readCwd(pid))
    const parent = readParent(pid)
    if (parent === undefined) return []
    pid = parent
  }
  return []
}

// --- internal ---

function readArgv(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((a) => a.length > 0)
  } catch {
    return undefined
  }
}

function readParent(pid: number): number | undefined {
  try {
    // Fields after the command name, which is in parentheses and may contain spaces: state, ppid, ...
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    return Number.isInteger(ppid) ? ppid : undefined
  } catch {
    return undefined
  }
}

function readCwd(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/cwd`)
  } catch {
    return process.cwd()
  }
}
