/**
 * Context passing on the way in, for the settings hooks: the decision is guard/inject.ts (shared with
 * the hooks module); this reads the session's slots from disk and writes the values moved to files.
 */
import { join } from 'node:path'
import { writeFileAtomic } from '../common/index.ts'
import { contextDir, getSlot, listSlots } from '../context/index.ts'
import { planInjection } from '../guard/index.ts'
import type { Injection } from '../guard/index.ts'
import type { Component } from '../registry/snapshot.ts'
import { chainOf } from '../trace/index.ts'
import type { Invocation } from '../trace/index.ts'

export interface InjectionRequest {
  sessionDir: string
  invocation: string
  caller: string
  callerInvocation: Invocation | null
  invocations: Map<string, Invocation>
  component: Component
  /** The agent a forked command or skill runs in, as the guard resolved it. */
  runsAs?: string
  toolInput: Record<string, unknown>
}

export function injectContext(request: InjectionRequest): Injection {
  const injection = planInjection({
    invocation: request.invocation,
    caller: request.caller,
    chain: ['main', ...chainOf(request.invocations, request.callerInvocation?.id ?? null).map((i) => i.target)],
    component: request.component,
    ...(request.runsAs ? { runsAs: request.runsAs } : {}),
    toolInput: request.toolInput,
    slot: (name) => getSlot(request.sessionDir, name),
    slotNames: () => listSlots(request.sessionDir).map((s) => s.name),
    filesDir: join(contextDir(request.sessionDir), 'files'),
  })
  if (injection.kind === 'rewrite') for (const file of injection.files) writeFileAtomic(file.path, file.text)
  return injection
}
