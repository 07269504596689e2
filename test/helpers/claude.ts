/**
 * The pinned Claude Code builds, installed by `node scripts/setup.mjs --with-claude` into
 * test/claude-code/ (a package of its own, so they never reach a user's install of the plugin).
 * The runnable program is the native binary of the platform package (npm 11 may skip the wrapper's
 * postinstall, leaving node_modules/.bin/claude a placeholder; docs/claude-code-notes.md).
 */
import { existsSync, mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

export const PINNED_VERSIONS = ['2.1.332', '2.1.331', '2.1.197'] as const
export type PinnedVersion = (typeof PINNED_VERSIONS)[number]

const PINS = resolve(import.meta.dirname, '..', 'claude-code')

export function claudeBinary(version: PinnedVersion): string {
  const wrapper = join(PINS, 'node_modules', `claude-code-${version}`, 'package.json')
  if (!existsSync(wrapper))
    throw new Error(
      `Claude Code ${version} is not installed. Run \`node scripts/setup.mjs --with-claude\` (npm test does this).`,
    )
  const platformPackage = `@anthropic-ai/claude-code-${process.platform}-${process.arch}`
  const binary = join(
    dirname(createRequire(wrapper).resolve(`${platformPackage}/package.json`)),
    process.platform === 'win32' ? 'claude.exe' : 'claude',
  )
  if (!existsSync(binary)) throw new Error(`${platformPackage} has no binary at ${binary}; reinstall test/claude-code.`)
  return binary
}

/** An environment that runs Claude Code offline and isolated: a fresh HOME, no network traffic. */
export function offlineEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'switchboard-claude-home-'))
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    // Under the test run's scratch folder (test/global-setup.ts), removed with it.
    TMPDIR: tmpdir(),
    ANTHROPIC_API_KEY: 'sk-test-offline',
    ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    ...extra,
  }
}
