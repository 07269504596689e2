import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs'

type ReadProblem = {
  ok: false
  problem: 'missing' | 'not-a-file' | 'too-large' | 'unreadable'
  size: number
  message: string
}

export type TextRead = { ok: true; text: string } | ReadProblem

/** A file's bytes; readBounded also gives its `id`. */
export type BytesRead = { ok: true; bytes: Buffer; id?: string } | ReadProblem

/** `id`: the file's device and inode, which tell two paths to one file apart without a realpath. */
type IdentifiedRead = { ok: true; bytes: Buffer; id: string } | ReadProblem

/** readBounded, decoded as UTF-8. */
export function readBoundedText(file: string, maxBytes: number): TextRead {
  const read = readBounded(file, maxBytes)
  return read.ok ? { ok: true, text: read.bytes.toString('utf8') } : read
}

/**
 * Reads a text file others wrote, at most `maxBytes` of it. Never blocks and never reads what is not
 * a regular file: opened non-blocking (a FIFO would otherwise wait forever for a writer), then
 * checked on the open descriptor, so a link to /dev/zero or a 50 MB file is refused unread. A path
 * through a file (`README.md/SKILL.md`) is missing, as it is to Claude Code.
 */
export function readBounded(file: string, maxBytes: number): IdentifiedRead {
  return readRegularFile(file, maxBytes, Buffer.allocUnsafe)
}

/**
 * readBounded into the scratch buffer readListedFile uses: the bytes are **valid until the next
 * borrowed or listed read**, as readListedFile's are. For SKILL.md files, decoded before the next read
 * (scan-components.ts, addSkill): a buffer of their own was an allocation outside the pool for any file
 * over 4 KiB, and garbage to collect (measured, about 2% of a build's JavaScript on the corpus).
 */
export function readBoundedBorrowed(file: string, maxBytes: number): IdentifiedRead {
  return readRegularFile(file, maxBytes, scratch)
}

function readRegularFile(file: string, maxBytes: number, allocate: (size: number) => Buffer): IdentifiedRead {
  const fd = openNonBlocking(file)
  if (typeof fd !== 'number') return fd
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) return { ok: false, problem: 'not-a-file', size: 0, message: 'not a regular file' }
    if (stats.size > maxBytes)
      return { ok: false, problem: 'too-large', size: stats.size, message: `${stats.size} bytes` }
    // At most the size fstat gave: a file growing meanwhile is read up to it, never past the bound.
    // (Reading on to its end would cost every file a second read call.)
    const buffer = allocate(stats.size)
    let length = 0
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) break
      length += read
    }
    const bytes = length === buffer.length ? buffer : buffer.subarray(0, length)
    return { ok: true, bytes, id: `${stats.dev}:${stats.ino}` }
  } catch (thrown) {
    return { ok: false, problem: 'unreadable', size: 0, message: (thrown as Error).message }
  } finally {
    closeSync(fd)
  }
}

/**
 * readBounded for a file its folder's listing showed as a regular file (not a link): no fstat, one
 * read into a scratch buffer one byte longer than the bound. A component folder's files are nearly
 * all read this way, and an fstat was a sixth of the syscalls of a registry build.
 * Between the listing and the open the file can have been replaced: a FIFO opened non-blocking
 * reads as empty or fails, and anything longer than the bound is refused, with the exact size and
 * kind then read by readBounded.
 *
 * The bytes are a view of that scratch buffer, **valid until the next readListedFile**: the caller
 * decodes what it keeps before it reads another file (scan-components.ts, addComponent). Copying each
 * file out cost an allocation and a copy per component, about a twentieth of a build's JavaScript.
 */
export function readListedFile(file: string, maxBytes: number): BytesRead {
  const fd = openNonBlocking(file)
  if (typeof fd !== 'number') return fd
  try {
    const buffer = scratch(maxBytes + 1)
    // A regular file answers a read with all it has up to the count asked: one read call, no second
    // one to find its end (a file growing meanwhile is read as it was, as readBounded does).
    const length = readSync(fd, buffer, 0, buffer.length, null)
    if (length > maxBytes) return readBounded(file, maxBytes)
    return { ok: true, bytes: buffer.subarray(0, length) }
  } catch (thrown) {
    return { ok: false, problem: 'unreadable', size: 0, message: (thrown as Error).message }
  } finally {
    closeSync(fd)
  }
}

/** The bound for Switchboard's small state files (pointers, markers, notices, run files, policy files). */
export const SMALL_FILE_BYTES = 1024 * 1024

/**
 * readFileSync(file, 'utf8'), for files a model's Bash step can replace (the project's, the data
 * folder's): opened without waiting, read only as a regular file, and at most `maxBytes` (its size as
 * fstat gives it: a /proc file, which says 0 and never ends, reads as empty). A FIFO, a link to
 * /proc/self/pagemap or a file of gigabytes put in a file's place would otherwise hold the process;
 * in settings mode that process is the MCP server answering every guarded call's hooks, and Claude
 * Code runs a call whose hook does not answer in time unchecked. Throws as readFileSync does (ENOENT,
 * EACCES, ...); a folder as EISDIR, a pipe or a device as ENOTREG, a file over the bound as EFBIG.
 */
export function readTextNoWait(file: string, maxBytes: number): string {
  return readBytesNoWait(file, maxBytes).toString('utf8')
}

/** readTextNoWait's bytes, for text whose encoding is not plain UTF-8 (common/settings-text.ts). */
export function readBytesNoWait(file: string, maxBytes: number): Buffer {
  return readAppendedNoWait(file, maxBytes).bytes
}

/**
 * readBytesNoWait of a file read before (`since`: its id and the bytes read then), for a reader that keeps
 * what it parsed of an append-only file: only the bytes after `since.size` where it is the same file
 * (device and inode) and no shorter, else the whole file. `from` says where the bytes start.
 */
export function readAppendedNoWait(
  file: string,
  maxBytes: number,
  since?: { id: string; size: number },
): { id: string; from: number; bytes: Buffer; names: number } {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    const stats = regularFile(fd, file)
    if (stats.size > maxBytes)
      throw Object.assign(new Error(`EFBIG: ${stats.size} bytes, more than the ${maxBytes} read here, ${file}`), {
        code: 'EFBIG',
      })
    const id = `${stats.dev}:${stats.ino}`
    const from = since && since.id === id && since.size <= stats.size ? since.size : 0
    const buffer = Buffer.allocUnsafe(stats.size - from)
    let length = 0
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, from + length)
      if (read === 0) break
      length += read
    }
    return { id, from, bytes: buffer.subarray(0, length), names: stats.nlink }
  } finally {
    closeSync(fd)
  }
}

/**
 * One append of `text` to a file (created with `mode`), as appendFileSync does, but never waiting: a
 * FIFO in the file's place fails at once (ENXIO with no reader, else ENOTREG) instead of holding the
 * process until a reader came. Never through a link (ELOOP): a call log linked to ~/.bashrc would take
 * lines a model chose (a subagent_type of `x:$(touch pwned)`, found by review).
 */
export function appendNoWait(file: string, text: string, mode: number): void {
  const fd = openSync(
    file,
    constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK | constants.O_NOFOLLOW,
    mode,
  )
  try {
    // Nor into a file with other names (a hard link a model's Bash step made): the lines would land in that file.
    if (regularFile(fd, file).nlink > 1) throw otherNames(file)
    writeSync(fd, text)
  } finally {
    closeSync(fd)
  }
}

// --- internal ---

let scratchBuffer: Buffer | undefined

/** One buffer for every listed file's read, grown when a larger bound asks for it. */
function scratch(size: number): Buffer {
  if (!scratchBuffer || scratchBuffer.length < size) scratchBuffer = Buffer.allocUnsafe(size)
  return scratchBuffer.length === size ? scratchBuffer : scratchBuffer.subarray(0, size)
}

/** The file opened non-blocking (a FIFO would otherwise wait forever for a writer), or why not. */
function openNonBlocking(file: string): number | ReadProblem {
  try {
    return openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code
    const missing = code === 'ENOENT' || code === 'ENOTDIR'
    return { ok: false, problem: missing ? 'missing' : 'unreadable', size: 0, message: (thrown as Error).message }
  }
}

/** Its stats, or a throw unless the open descriptor is a regular file (EISDIR for a folder, ENOTREG for anything else). */
function regularFile(fd: number, file: string): { size: number; dev: number; ino: number; nlink: number } {
  const stats = fstatSync(fd)
  if (stats.isFile()) return stats
  const code = stats.isDirectory() ? 'EISDIR' : 'ENOTREG'
  throw Object.assign(new Error(`${code}: not a regular file, ${file}`), { code })
}

/** A file that has other names (a hard link), which a log is never: what is written to it lands in them too. */
export function otherNames(file: string): Error {
  return Object.assign(new Error(`EMLINK: the file has other names (a hard link), ${file}`), { code: 'EMLINK' })
}
