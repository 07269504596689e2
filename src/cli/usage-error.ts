/** A mistake in how a command was called (exit 2); its own file, so the command table loads nothing else. */
export class UsageError extends Error {}
