import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'

export type TextRead =
  | { ok: true; text: string }
  | { ok: false; problem: 'missing' | 'not-a-file' | 'too-large' | 'unreadable'; size: number; message: string }

/**
 * Reads a text file others wrote, at most `maxBytes` of it. Never blocks and never reads what is not
 * a regular file: opened non-blocking (a FIFO would otherwise wait forever for a writer), then
 * checked on the open descriptor, so a link to /dev/zero or a 50 MB file is refused unread.
 */
export function readBoundedText(file: string, maxBytes: number): TextRead {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (thrown) {
    const missing = (thrown as NodeJS.ErrnoException).code === 'ENOENT'
    return { ok: false, problem: missing ? 'missing' : 'unreadable', size: 0, message: (thrown as Error).message }
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) return { ok: false, problem: 'not-a-file', size: 0, message: 'not a regular file' }
    if (stats.size > maxBytes)
      return { ok: false, problem: 'too-large', size: stats.size, message: `${stats.size} bytes` }
    // One byte more than allowed, so a file that grew since fstat is still caught.
    const buffer = Buffer.alloc(stats.size + 1)
    let length = 0
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) break
      length += read
    }
    if (length > maxBytes) return { ok: false, problem: 'too-large', size: length, message: `over ${maxBytes} bytes` }
    return { ok: true, text: buffer.subarray(0, length).toString('utf8') }
  } catch (thrown) {
    return { ok: false, problem: 'unreadable', size: 0, message: (thrown as Error).message }
  } finally {
    closeSync(fd)
  }
}
