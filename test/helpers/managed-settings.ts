/**
 * Runs a command as if an administrator had deployed managed settings: /etc/claude-code (the folder
 * Claude Code reads them from on Linux) is given a managed-settings.json in a private mount namespace,
 * an overlay over /etc seen by that command alone, so the machine and other tests never see it.
 * Needs root (or CAP_SYS_ADMIN) and overlayfs; `managedSettingsLauncher` is undefined where they are missing.
 * (Claude Code 2.1.332 names a CLAUDE_CODE_MANAGED_SETTINGS_PATH variable, but did not read it here.)
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The launcher (RunOptions.launcher, or a prefix for any command) that gives it these managed settings. */
export function managedSettingsLauncher(settings: unknown): string[] | undefined {
  const root = mkdtempSync(join(tmpdir(), 'switchboard-managed-'))
  mkdirSync(join(root, 'upper', 'claude-code'), { recursive: true })
  mkdirSync(join(root, 'work'))
  writeFileSync(join(root, 'upper', 'claude-code', 'managed-settings.json'), JSON.stringify(settings))
  const script = 'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$0/upper,workdir=$0/work" /etc && exec "$@"'
  const launcher = ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, root]
  const probe = spawnSync(launcher[0]!, [...launcher.slice(1), 'cat', '/etc/claude-code/managed-settings.json'], {
    encoding: 'utf8',
  })
  return probe.status === 0 && probe.stdout === JSON.stringify(settings) ? launcher : undefined
}
