/** `switchboard trace [--session ID | latest] [--json | --mermaid]`: what was called, by whom, with what result. */
import { inert } from '../common/index.ts'
import { foldInvocations, readRecords, renderMermaid, renderTree, sessionRuntime } from '../trace/index.ts'
import { dataDirOf, sessionOf, UsageError, unknownSession } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'

export function run(context: CommandContext): CommandResult {
  if (context.positionals.length > 0) throw new UsageError(`unexpected argument "${context.positionals[0]}"`)
  if (context.values.mermaid && context.values.json)
    throw new UsageError('--mermaid and --json are two ways to print the trace; give one')
  const session = sessionOf(context, true)
  if (!session)
    return {
      data: null,
      text: `No traced session in ${inert(dataDirOf(context))}. Switchboard traces calls from plugin agents, commands and skills once its hooks run in a session.`,
      exitCode: 0,
    }
  const unknown = unknownSession(context, session)
  if (unknown) return { data: null, text: inert(unknown), exitCode: 1 }
  const invocations = foldInvocations(readRecords(session.dir))
  const list = [...invocations.values()].sort((a, b) => a.start - b.start)
  if (context.values.mermaid) return { data: list, json: list, text: renderMermaid(invocations), exitCode: 0 }
  const runtime = sessionRuntime(session.dir)
  return {
    data: { session: session.id, runtime: runtime ?? null, invocations: list },
    text: `Session ${inert(session.id)}${runtime ? ` (runtime: ${runtime})` : ''}\n${renderTree(invocations)}`,
    exitCode: 0,
  }
}
