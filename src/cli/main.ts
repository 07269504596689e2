// Entry point of the bundled CLI (bin/switchboard). Everything else is in index.ts, testable in-process.
import { runCli } from './index.ts'

runCli({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code
})
