import { describe, expect, it } from 'vitest'
import { wholeFileWriter } from '../../src/module/whole-file-writer.ts'

/** A file written through a `$.fs.write` that answers only when told to, as Claude Code's main thread does. */
function slowFile() {
  let content = ''
  const writes: string[] = []
  const answers: Array<(fail?: Error) => void> = []
  return {
    content: () => content,
    set: (text: string) => {
      content = text
    },
    writes,
    save: () => {
      const text = content
      return new Promise<void>((resolve, reject) => {
        answers.push((fail) => {
          if (fail) return reject(fail)
          writes.push(text)
          resolve()
        })
      })
    },
    /** Answers the oldest write in flight. */
    answer: async (fail?: Error) => {
      await new Promise((r) => setTimeout(r, 0))
      answers.shift()!(fail)
      await new Promise((r) => setTimeout(r, 0))
    },
    inFlight: () => answers.length,
  }
}

describe('the module writes its call log whole, off the calls path', () => {
  it('writes a burst of changes in two writes, the last of them whole', async () => {
    const file = slowFile()
    const writer = wholeFileWriter(file.save)
    file.set('a')
    void writer.write()
    await new Promise((r) => setTimeout(r, 0)) // that write has started
    for (const text of ['ab', 'abc', 'abcd', 'abcde']) {
      file.set(text)
      void writer.write()
    }
    await file.answer()
    expect(file.inFlight()).toBe(1) // one more write, not four
    await file.answer()
    await writer.flushed()
    expect(file.writes).toEqual(['a', 'abcde'])
  })

  it('flushed waits for every write asked for', async () => {
    const file = slowFile()
    const writer = wholeFileWriter(file.save)
    file.set('one')
    void writer.write()
    let flushed = false
    void writer.flushed().then(() => {
      flushed = true
    })
    await new Promise((r) => setTimeout(r, 0))
    expect(flushed).toBe(false)
    await file.answer()
    expect(flushed).toBe(true)
  })

  it('does not fail a write for the one before it that failed', async () => {
    const file = slowFile()
    const writer = wholeFileWriter(file.save)
    file.set('x')
    const first = writer.write()
    await file.answer(new Error('EROFS'))
    await expect(first).rejects.toThrow('EROFS')
    file.set('xy')
    const second = writer.write()
    await file.answer()
    await second
    expect(file.writes).toEqual(['xy'])
  })
})
