/**
 * A file the module rewrites whole at every change (`$.fs` cannot append), written off the call's path.
 *
 * Each `$.fs.write` is a hop to Claude Code's main thread, and the call log grows with the session: a
 * call's three records (its start, its agent's id, its end) each awaited a write of the whole log, about
 * a third of what the module added to a nested call (2.1.332 debug log: the report path took 8 to 11 ms
 * against 1 to 2 ms without Switchboard). Decisions read the records from memory, never from this file;
 * the file is for other processes (the MCP server, the CLI), which flushed() waits for.
 *
 * One write at a time, each of the content as it stands when it starts: changes made while a write runs
 * share the one queued after it, so a burst of changes costs two writes, not one each.
 */
export interface WholeFileWriter {
  /** Writes the content as it will stand when the write starts; settles when that write has. */
  write: () => Promise<void>
  /** Settles once every write asked for so far has (succeeded or failed). */
  flushed: () => Promise<void>
  /** The last write failed, and none has succeeded since. */
  failed: () => boolean
}

/** `save` writes the whole current content (or does nothing where there is nowhere to write). */
export function wholeFileWriter(save: () => Promise<void> | undefined): WholeFileWriter {
  let last: Promise<void> = Promise.resolve()
  /** The write queued behind the one running, not yet started: it will write what is asked meanwhile. */
  let queued: Promise<void> | undefined
  let lastFailed = false
  return {
    write: () => {
      if (queued) return queued
      const write = last.then(async () => {
        queued = undefined
        try {
          await save()
          lastFailed = false
        } catch (thrown) {
          lastFailed = true
          throw thrown
        }
      })
      queued = write
      // A failed write must not fail the ones after it: each answers for its own.
      last = write.catch(() => undefined)
      // Nobody need wait for a write (append does not): a failure is kept in `failed`, never unhandled.
      write.catch(() => undefined)
      return write
    },
    flushed: () => last,
    failed: () => lastFailed,
  }
}
