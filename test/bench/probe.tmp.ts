import { join } from 'node:path'
import { callAgent, runClaude, say } from '../harness/index.ts'
import { EXAMPLES } from '../helpers/plugins.ts'
import { offlineEnv } from '../helpers/claude.ts'
const version = (process.env.VERSION ?? '2.1.332') as '2.1.332'
const home = offlineEnv().HOME!
for (const round of [1, 2]) {
  const run = await runClaude({ version, home, cwd: join(home, 'project'), prompt: 'Write about kites', plugins: EXAMPLES, withSwitchboard: process.env.NOSB ? false : true, extraArgs: ['--debug-file', `/tmp/dbg${round}.txt`],
    scenario: { main: [{ call: callAgent('tdd-tech:tech-writer', 'Write about kites.') }, say('Done.')],
      agents: { 'tdd-tech:tech-writer': [{ call: callAgent('tdd-editor:editor', 'Edit part 1.') }, say('ARTICLE')], 'tdd-editor:editor': [say('EDITED')] }, maxRequests: 20 } })
  console.log('exit', run.exitCode)
}
