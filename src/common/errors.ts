/**
 * Errors that are thrown, as opposed to diagnostics that are returned. Throw only for what an edit to
 * the user's plugin files cannot fix (an unreadable state folder, a missing snapshot); a bad manifest
 * is a diagnostic, never an exception.
 */
export class SwitchboardError extends Error {
  override readonly name: string = 'SwitchboardError'
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** A bug in Switchboard itself. The CLI prints it with a request to report it. */
export class InternalError extends Error {
  override readonly name: string = 'InternalError'
}

/** The message of anything thrown, without a stack trace. */
export function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown)
}

/**
 * One of Switchboard's own errors, which say what to do: by name, as the class differs between
 * bundles (the MCP server's loop and its tools are two files).
 */
export function isSwitchboardError(thrown: unknown): thrown is SwitchboardError {
  return (thrown as { name?: unknown } | null)?.name === 'SwitchboardError'
}
