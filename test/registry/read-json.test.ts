import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { measureJsonText } from '../../src/registry/read-json.ts'
import { SCAN_LIMITS } from '../../src/registry/scan-limits.ts'

/** measureJsonText as first written, a character at a time: the one that skips strings must agree. */
function measureByCharacter(text: string, maxJsonDepth: number, maxJsonValues: number): string | undefined {
  let depth = 0
  let values = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxJsonDepth) return 'depth'
      values++
    } else if (c === 0x5d || c === 0x7d) depth--
    else if (c === 0x2c) values++
    if (values > maxJsonValues) return 'values'
  }
  return undefined
}

describe('measureJsonText', () => {
  it('finds the limits a character-by-character reading finds, on random texts', () => {
    const unit = fc.constantFrom('"', '"', '\\', '\\', '[', ']', '{', '}', ',', 'a', ' ')
    fc.assert(
      fc.property(
        fc.string({ unit, maxLength: 40 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 6 }),
        (text, maxJsonDepth, maxJsonValues) => {
          const found = measureJsonText(text, { ...SCAN_LIMITS, maxJsonDepth, maxJsonValues })
          const kind = found === undefined ? undefined : found.includes('deep') ? 'depth' : 'values'
          expect(kind).toBe(measureByCharacter(text, maxJsonDepth, maxJsonValues))
        },
      ),
      { numRuns: 20000 },
    )
  })
})
