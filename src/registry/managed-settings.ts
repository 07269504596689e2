/**
 * The organization's managed settings, as files Claude Code reads (`switchboard doctor`, SessionStart in
 * settings mode, the registry's enabledPlugins): only read here, never written. What they mean is decided by pure code beside its use
 * (trace/runtime.ts for Switchboard's MCP server, cli/runtime-report.ts for the hook switches).
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { settingsText } from '../common/index.ts'
import { readBytesNoWait, SMALL_FILE_BYTES } from './read-bounded.ts'

/** One managed-settings file and its text. */
export interface ManagedSettingsFile {
  file: string
  text: string
}

/**
 * The folder of the file-based managed settings Claude Code reads on this platform. (MDM and
 * server-managed settings are not files Switchboard can read; 2.1.332 names a
 * CLAUDE_CODE_MANAGED_SETTINGS_PATH variable but did not read it in a plain session, so Switchboard does not either.)
 */
function managedSettingsDir(): string {
  if (process.platform === 'darwin') return '/Library/Application Support/ClaudeCode'
  return process.platform === 'win32' ? 'C:\\Program Files\\ClaudeCode' : '/etc/claude-code'
}

/** managed-settings.json, then managed-settings.d/*.json in name order: the order Claude Code merges them. */
export function readManagedSettings(dir: string = managedSettingsDir()): ManagedSettingsFile[] {
  return managedSettingsFiles(dir).flatMap((file) => {
    try {
      return [{ file, text: settingsText(readBytesNoWait(file, SMALL_FILE_BYTES)) }]
    } catch {
      return [] // absent: nothing managed here
    }
  })
}

/** The folder of drop-in managed settings: a file added there changes them. */
export function managedDropInFolder(dir: string = managedSettingsDir()): string {
  return join(dir, 'managed-settings.d')
}

/** The managed-settings files there may be, in the order Claude Code merges them (not read). */
export function managedSettingsFiles(dir: string = managedSettingsDir()): string[] {
  const files = [join(dir, 'managed-settings.json')]
  try {
    files.push(
      ...readdirSync(managedDropInFolder(dir))
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => join(managedDropInFolder(dir), name)),
    )
  } catch {
    // no drop-in folder
  }
  return files
}
