/**
 * Installing plugins from a marketplace, for real, with the pinned Claude Code: `claude plugin
 * marketplace add <dir>` then `claude plugin install <plugin>@<marketplace>` in an isolated HOME.
 * The marketplace is a copy of this repository's tracked files, which is what a user gets from git
 * (a working tree also holds dev/node_modules, which no user ever downloads).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { claudeBinary, offlineEnv } from '../helpers/claude.ts'
import type { PinnedVersion } from '../helpers/claude.ts'
import { SWITCHBOARD_ROOT } from './run-claude.ts'

/** Copies the files git would give a user (tracked, plus untracked ones not ignored) into a temp folder. */
export function checkoutCopy(repo: string = SWITCHBOARD_ROOT): string {
  const target = mkdtempSync(join(tmpdir(), 'switchboard-checkout-'))
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repo,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean)
  for (const file of files) {
    if (!existsSync(join(repo, file))) continue // deleted in the working tree
    mkdirSync(dirname(join(target, file)), { recursive: true })
    cpSync(join(repo, file), join(target, file))
  }
  return target
}

export interface Install {
  home: string
  /** Output of each `claude plugin ...` command. */
  log: string[]
  /** Where each installed plugin was copied to (from installed_plugins.json). */
  installPaths: Record<string, string>
}

/**
 * The address a git marketplace of this repository is added from. No network: the test's HOME has a
 * git `insteadOf` rule that sends it to a local bare repository (gitMarketplace).
 */
export const GIT_MARKETPLACE_URL = 'https://github.com/switchboard-offline/switchboard.git'

/**
 * A bare git repository of a checkout copy, and the HOME git config that makes GIT_MARKETPLACE_URL
 * clone from it: what `claude plugin marketplace add owner/repo` does, offline.
 */
export function gitMarketplace(checkout: string): { gitConfig: string } {
  const git = (args: string[], cwd: string) =>
    execFileSync('git', ['-c', 'user.name=Switchboard tests', '-c', 'user.email=tests@switchboard.invalid', ...args], {
      cwd,
      stdio: 'pipe',
    })
  git(['init', '-q', '-b', 'main'], checkout)
  git(['add', '-A'], checkout)
  git(['commit', '-q', '-m', 'marketplace'], checkout)
  const bare = mkdtempSync(join(tmpdir(), 'switchboard-marketplace-git-'))
  git(['clone', '-q', '--bare', checkout, bare], tmpdir())
  return { gitConfig: `[url "${bare}"]\n\tinsteadOf = ${GIT_MARKETPLACE_URL}\n` }
}

export function installFromMarketplace(
  version: PinnedVersion,
  marketplace: string,
  plugins: string[],
  options: { gitConfig?: string } = {},
): Install {
  const env = offlineEnv()
  if (options.gitConfig) writeFileSync(join(env.HOME!, '.gitconfig'), options.gitConfig)
  const log: string[] = []
  const claude = (args: string[]): void => {
    const result = spawnSync(claudeBinary(version), args, { env, encoding: 'utf8', timeout: 120_000, cwd: env.HOME })
    log.push(`$ claude ${args.join(' ')}\n${result.stdout}${result.stderr}`)
    if (result.status !== 0)
      throw new Error(`claude ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`)
  }
  claude(['plugin', 'marketplace', 'add', marketplace])
  for (const plugin of plugins) claude(['plugin', 'install', plugin])
  const installed = JSON.parse(
    readFileSync(join(env.HOME!, '.claude', 'plugins', 'installed_plugins.json'), 'utf8'),
  ) as { plugins: Record<string, Array<{ installPath: string }>> }
  const installPaths = Object.fromEntries(
    Object.entries(installed.plugins).map(([key, records]) => [key, records[0]!.installPath]),
  )
  return { home: env.HOME!, log, installPaths }
}

/** Files and bytes under a folder, and whether it holds a node_modules folder anywhere. */
export function measureFolder(dir: string): { files: number; bytes: number; nodeModules: boolean } {
  let files = 0
  let bytes = 0
  let nodeModules = false
  const walk = (path: string): void => {
    for (const entry of readdirSync(path)) {
      const child = join(path, entry)
      const stat = statSync(child)
      if (stat.isDirectory()) {
        if (entry === 'node_modules') nodeModules = true
        walk(child)
      } else {
        files++
        bytes += stat.size
      }
    }
  }
  walk(dir)
  return { files, bytes, nodeModules }
}
