/**
 * Reading the user's policy files from disk (Node): user scope `<config>/switchboard/policy.json`
 * (config = $CLAUDE_CONFIG_DIR or ~/.claude) and project scope `<project>/.claude/switchboard/policy.json`.
 * What they mean and how they merge is policy-rules.ts, shared with the hooks module.
 */
import { readlinkSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  mergePolicy,
  movedByProjectSettings,
  PROJECT_SETTINGS,
  PROJECT_SETTINGS_MAX_BYTES,
  unreadProjectSettings,
} from './policy-rules.ts'
import type { Policy, PolicySource } from './policy-rules.ts'
import { readBytesNoWait, readTextNoWait, SMALL_FILE_BYTES } from '../registry/read-bounded.ts'
import { settingsText } from '../common/index.ts'

function policyFiles(env: Readonly<Record<string, string | undefined>>, projectDir: string): string[] {
  const configDir = env.CLAUDE_CONFIG_DIR
    ? resolve(projectDir, env.CLAUDE_CONFIG_DIR)
    : join(env.HOME || homedir(), '.claude')
  return [join(configDir, 'switchboard', 'policy.json'), join(projectDir, '.claude', 'switchboard', 'policy.json')]
}

export function loadPolicy(env: Readonly<Record<string, string | undefined>>, projectDir: string): Policy {
  const [user, project] = policyFiles(env, projectDir) as [string, string]
  // A session in the home folder: the project's policy file is the user's, read once, as the user's (read
  // twice, its allow rules were a project's, which may only tighten, and every call was refused; review).
  const sources =
    resolve(user) === resolve(project)
      ? [readSource(user, 'user')]
      : [readSource(user, 'user'), readSource(project, 'project')]
  return mergePolicy([...sources, ...movedByProject(projectDir)], env)
}

/**
 * A policy problem (every cross-plugin call refused) for each project settings file whose env block moves
 * the policy or sets Switchboard's own switches (policy-rules.ts); also why the settings hooks do not step aside.
 */
export function movedByProject(projectDir: string): PolicySource[] {
  return PROJECT_SETTINGS.flatMap((name) => {
    const file = join(projectDir, name)
    let text: string
    try {
      text = settingsText(readBytesNoWait(file, PROJECT_SETTINGS_MAX_BYTES))
    } catch (thrown) {
      const code = (thrown as NodeJS.ErrnoException).code ?? (thrown as Error).message
      // Only a file that is not there has no env block (ENOTDIR: a file stands where .claude/ would be).
      return code === 'ENOENT' || code === 'ENOTDIR' ? [] : [unreadProjectSettings(file, code)]
    }
    const moved = movedByProjectSettings(file, text)
    return moved ? [moved] : []
  })
}

// --- internal ---

function readSource(file: string, scope: PolicySource['scope']): PolicySource {
  try {
    return { file, scope, text: readTextNoWait(file, SMALL_FILE_BYTES) }
  } catch (thrown) {
    const problem = unreadable(file, thrown)
    return problem === undefined ? { file, scope } : { file, scope, problem }
  }
}

/**
 * Why a policy file cannot be read, or undefined when there is none. Only a name that does not exist
 * at all means "no policy": a dangling link, a link loop, a folder or a file we may not read would
 * otherwise drop the user's deny rules and strict mode without a word.
 */
function unreadable(file: string, thrown: unknown): string | undefined {
  const code = (thrown as NodeJS.ErrnoException).code
  if (code === 'ENOENT') {
    let target: string
    try {
      target = readlinkSync(file)
    } catch {
      return undefined // nothing there (or a parent folder missing): no policy
    }
    return `${file}: is a symbolic link to ${target}, which does not exist, so the policy cannot be read. Point the link at your policy file, or remove it.`
  }
  const why =
    code === 'EISDIR'
      ? 'it is a folder, not a file'
      : code === 'ELOOP'
        ? 'its symbolic links form a loop (ELOOP)'
        : code === 'ENOTREG'
          ? 'it is not a regular file (a pipe or a device)'
          : code === 'EFBIG'
            ? `it is larger than ${SMALL_FILE_BYTES} bytes, which no policy is`
            : code === 'EACCES' || code === 'EPERM'
              ? `no permission to read it (${code})`
              : `${code ?? 'error'}: ${(thrown as Error).message}`
  return `${file}: cannot be read (${why}). Make it a readable JSON file, or remove it.`
}
