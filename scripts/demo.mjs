#!/usr/bin/env node
// `npm start`: the demonstration. Runs the committed, pre-built `switchboard` CLI (plain node, no
// install step) over this repository's marketplace (Switchboard and its four example plugins) and
// the plugins installed in your Claude Code, showing what the registry sees.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(root, 'bin', 'switchboard')
const sources = ['--marketplace-root', root]

const steps = [
  ['Every agent, command and skill, under the id Claude Code uses (this marketplace + your installed plugins)', ['registry', ...sources]],
  ['One component in full: how to call it, its contracts, what it may call', ['describe', 'tdd-editor:editor', ...sources]],
  ['A plugin-private component', ['describe', 'tdd-design:palette', ...sources]],
  ['Dependencies and load order', ['deps', ...sources]],
  ['Linting an example plugin the way Claude Code will load it', ['check', join(root, 'examples', 'tdd-growth')]],
  ['Where Switchboard looked and what it found', ['doctor', ...sources]],
]

let failed = 0
for (const [title, args] of steps) {
  console.log(`\n\u001b[1m== ${title}\u001b[0m\n$ switchboard ${args.map((a) => (a === root ? '.' : a.startsWith(root) ? a.slice(root.length + 1) : a)).join(' ')}\n`)
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' })
  // Exit 1 means "problems found in someone's files" (for example among your installed plugins);
  // the demonstration still ran. Anything else is a failure of the demonstration itself.
  if (result.status !== 0 && result.status !== 1) failed++
}
console.log(failed ? `\n${failed} step(s) failed.` : '\nDone. Try it on your own plugins: bin/switchboard check <plugin-dir>')
process.exit(failed ? 1 : 0)
