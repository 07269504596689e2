/**
 * A file the module rewrites whole at every change (`$.fs` cannot append), where a write may go on behind
 * the call that asked for it.
 *
 * Each `$.fs.write` is a hop to Claude Code's main thread, and the call log grows with the session: a
 * call's three records (its start, its agent's id, its end) each awaited a write of the whole log (2.1.332
 * debug log: the report path took 8 to 11 ms against 1 to 2 ms without Switchboard). Decisions read the
 * records from memory, never from this file; the file is for other processes (the MCP server, the CLI,
 * which flushed() waits for) and for what a crash leaves, so a call's start is still awaited (SessionState).
 *
 * One write at a time, each of the content as it stands when it starts: changes made while a write runs
 * share the one queued after it, so a burst of changes costs two writes, not one each.
 */
export interface WholeFileWriter {
  /** Writes the content as it will stand when the write starts; settles when that write has. */
  write: () => Promise<void>
  /** Settles once every write asked for so far has (succeeded or failed). */
  flushed: () => Promise<void>
}

/** `save` writes the whole current content (or does nothing where there is nowhere to write). */
export function wholeFileWriter(save: () => Promise<void> | undefined): WholeFileWriter {
  let last: Promise<void> = Promise.resolve()
  /** The write queued behind the one running, not yet started: it will write what is asked meanwhile. */
  let queued: Promise<void> | undefined
  return {
    write: () => {
      if (queued) return queued
      const write = last.then(() => {
        queued = undefined
        return save()
      })
      queued = write
      // A failed write must not fail the ones after it: each answers for its own.
      last = write.catch(() => undefined)
      // Nobody need wait for a write (appendBehind does not): its failure is never unhandled.
      write.catch(() => undefined)
      return write
    },
    flushed: () => last,
  }
}
