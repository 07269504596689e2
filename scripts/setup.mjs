#!/usr/bin/env node
// Installs what development and tests need, from the lockfiles, and nothing at the plugin root.
//
// Why this shape: Claude Code runs `npm ci` inside an installed plugin whenever package.json sits
// next to a lockfile (docs/claude-code-notes.md), and it installs devDependencies too. So
// the plugin root has a package.json with no dependencies and no lockfile; the toolchain is the
// package in dev/ and the pinned Claude Code builds are the package in test/claude-code/. Each has
// its own lockfile. The root `node_modules` is a link to dev/node_modules so that src/, test/ and
// the config files resolve packages the ordinary way.
//
// Usage: node scripts/setup.mjs [--with-claude] [--quiet]
import { spawnSync } from 'node:child_process'
import { existsSync, lstatSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = new Set(process.argv.slice(2))
const quiet = args.has('--quiet')
const log = (line) => {
  if (!quiet) console.log(`setup: ${line}`)
}

installFromLockfile(join(root, 'dev'))
linkRootNodeModules()
if (args.has('--with-claude')) installFromLockfile(join(root, 'test', 'claude-code'))

/** Runs `npm ci` in a package folder unless its node_modules already matches its lockfile. */
function installFromLockfile(dir) {
  const lock = join(dir, 'package-lock.json')
  const installed = join(dir, 'node_modules', '.package-lock.json')
  const where = relative(root, dir)
  if (!existsSync(lock))
    fail(`${where}/package-lock.json is missing. Run \`npm install\` in ${where} and commit the lockfile.`)
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) {
    log(`${where} is up to date`)
    return
  }
  log(`installing ${where} from its lockfile`)
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    shell: process.platform === 'win32',
  })
  if (result.status !== 0)
    fail(`npm ci in ${where} failed (exit ${result.status}). Check the network access to the npm registry and retry.`)
}

function linkRootNodeModules() {
  const link = join(root, 'node_modules')
  const target = join('dev', 'node_modules')
  if (existsSync(link) || isDanglingLink(link)) {
    const stat = lstatSync(link)
    if (stat.isSymbolicLink() && readlinkSync(link) === target) return
    if (!stat.isSymbolicLink())
      fail(
        'node_modules at the plugin root is a real folder. Delete it: the toolchain lives in dev/ (see scripts/setup.mjs).',
      )
    rmSync(link)
  }
  symlinkSync(target, link, process.platform === 'win32' ? 'junction' : 'dir')
  log('linked node_modules -> dev/node_modules')
}

function isDanglingLink(path) {
  try {
    return lstatSync(path).isSymbolicLink()
  } catch {
    return false
  }
}

function fail(message) {
  console.error(`setup: ${message}`)
  process.exit(1)
}
