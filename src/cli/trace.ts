/** `switchboard trace [--session ID | latest] [--json | --mermaid]`: what was called, by whom, with what result. */
import { dataDir } from '../registry/index.ts'
import { foldInvocations, listSessions, readRecords, renderMermaid, renderTree, sessionDir } from '../trace/index.ts'
import { UsageError } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'

export function run(context: CommandContext): CommandResult {
  if (context.positionals.length > 0) throw new UsageError(`unexpected argument "${context.positionals[0]}"`)
  const root = typeof context.values['data-dir'] === 'string' ? context.values['data-dir'] : dataDir(context.env, context.cwd)
  const wanted = typeof context.values.session === 'string' ? context.values.session : 'latest'
  const sessions = listSessions(root)
  const session = wanted === 'latest' ? sessions[0] : { id: wanted, dir: sessionDir(root, wanted) }
  if (!session) return { data: null, text: `No traced session in ${root}. Switchboard traces calls from plugin agents, commands and skills once its hooks run in a session.`, exitCode: 0 }
  const invocations = foldInvocations(readRecords(session.dir))
  const list = [...invocations.values()].sort((a, b) => a.start - b.start)
  if (context.values.mermaid) return { data: list, json: list, text: renderMermaid(invocations), exitCode: 0 }
  return { data: { session: session.id, invocations: list }, text: `Session ${session.id}\n${renderTree(invocations)}`, exitCode: 0 }
}
