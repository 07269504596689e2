// Entry point of the bundled CLI (bin/switchboard). Everything else is in index.ts, testable in-process.
// `--version` answers before the rest is loaded: the bundle wraps index.ts in a function that runs only
// when imported, so a version check costs little more than starting node.
import { VERSION } from './version.ts'

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) process.stdout.write(`${VERSION}\n`)
else {
  const { runCli } = await import('./run-cli.ts')
  process.exitCode = await runCli({
    argv,
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdoutIsTerminal: process.stdout.isTTY === true,
  })
}
