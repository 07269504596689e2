import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { bytesToHex, sha256Hex } from '../../src/common/sha256.ts'

const reference = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

describe('sha256Hex', () => {
  it('is SHA-256 of the UTF-8 bytes at every length around the block and padding boundaries', () => {
    // 55 bytes is the longest message whose length fits its last block; 56 to 64 spill into another.
    for (let length = 0; length <= 200; length++)
      expect(sha256Hex('a'.repeat(length))).toBe(reference('a'.repeat(length)))
  })

  it('agrees with node:crypto on random text, multi-byte characters and lone surrogates included', () => {
    const alphabet = ['a', 'é', '€', '😀', '\u0000', '\n', '\ud800', '\udfff', '"']
    for (let round = 0; round < 300; round++) {
      const bytes = randomBytes(1 + (round % 97))
      const text = [...bytes].map((b) => alphabet[b % alphabet.length]).join('') + bytes.toString('base64')
      expect(sha256Hex(text)).toBe(reference(text))
    }
  })

  it('hashes a megabyte value as node:crypto does', () => {
    const text = randomBytes(768 * 1024).toString('base64')
    expect(sha256Hex(text)).toBe(reference(text))
  })

  it('writes bytes as lowercase hex, two digits each', () => {
    expect(bytesToHex(new Uint8Array([0, 1, 15, 16, 171, 255]))).toBe('00010f10abff')
  })
})
