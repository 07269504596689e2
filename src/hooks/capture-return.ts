/**
 * Typed returns for the settings hooks: the reading is guard/read-return.ts (shared with the hooks
 * module); this finds the target's component, validates the contract and stores the slot on disk.
 */
import { putSlot } from '../context/index.ts'
import { findComponent, notStored, readReturn } from '../guard/index.ts'
import type { ReturnReading } from '../guard/index.ts'
import type { RegistrySnapshot } from '../registry/snapshot.ts'
import type { Invocation } from '../trace/index.ts'
import { contractProblems } from '../manifest/validate-contract.ts'

/** The return as read; its `problem` is the message for the caller when something went wrong. */
export function captureReturn(
  sessionDir: string,
  invocation: Invocation,
  text: string,
  snapshot: RegistrySnapshot | undefined,
): ReturnReading {
  const component = snapshot ? findComponent(snapshot, invocation.target) : undefined
  const reading = readReturn(invocation, text, component, contractProblems)
  if (!reading.slot) return reading
  try {
    putSlot(sessionDir, reading.slot)
    return reading
  } catch (thrown) {
    return { ...reading, slot: undefined, problem: notStored(reading.slot.name, thrown) }
  }
}
