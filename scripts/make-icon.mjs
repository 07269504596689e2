#!/usr/bin/env node
// Draws .claude-plugin/icon.png (512x512, the plugin directory wants a square PNG of 512-2048 px):
// a switchboard panel, jacks in a grid, three patch cords joining plugins. No image library needed.
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const size = 512
const pixels = Buffer.alloc(size * size * 4)
const put = (x, y, [r, g, b], a = 255) => {
  if (x < 0 || y < 0 || x >= size || y >= size) return
  const i = (y * size + x) * 4
  const k = a / 255
  pixels[i] = Math.round(pixels[i] * (1 - k) + r * k)
  pixels[i + 1] = Math.round(pixels[i + 1] * (1 - k) + g * k)
  pixels[i + 2] = Math.round(pixels[i + 2] * (1 - k) + b * k)
  pixels[i + 3] = 255
}
const disc = (cx, cy, radius, color) => {
  for (let y = Math.floor(cy - radius - 1); y <= cy + radius + 1; y++)
    for (let x = Math.floor(cx - radius - 1); x <= cx + radius + 1; x++) {
      const d = Math.hypot(x - cx, y - cy)
      if (d <= radius + 0.5) put(x, y, color, Math.round(255 * Math.min(1, radius + 0.5 - d)))
    }
}
// A cord sags between two jacks: sample a quadratic curve and stamp discs along it.
const cord = (a, b, sag, color) => {
  const mx = (a[0] + b[0]) / 2
  const my = (a[1] + b[1]) / 2 + sag
  for (let t = 0; t <= 1; t += 0.002) {
    const x = (1 - t) ** 2 * a[0] + 2 * (1 - t) * t * mx + t ** 2 * b[0]
    const y = (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * my + t ** 2 * b[1]
    disc(x, y, 9, color)
  }
}

const background = [24, 28, 38]
const panel = [38, 44, 58]
for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) put(x, y, background)
for (let y = 40; y < 472; y++) for (let x = 40; x < 472; x++) put(x, y, panel)

const jack = (col, row) => [106 + col * 100, 106 + row * 100]
for (let row = 0; row < 4; row++)
  for (let col = 0; col < 4; col++) {
    const [x, y] = jack(col, row)
    disc(x, y, 22, [90, 98, 116])
    disc(x, y, 12, [14, 16, 22])
  }
cord(jack(0, 0), jack(2, 1), 60, [232, 121, 66])
cord(jack(1, 2), jack(3, 0), 90, [86, 182, 148])
cord(jack(0, 3), jack(3, 3), 70, [118, 152, 232])
for (const [c, r, color] of [
  [0, 0, [232, 121, 66]],
  [2, 1, [232, 121, 66]],
  [1, 2, [86, 182, 148]],
  [3, 0, [86, 182, 148]],
  [0, 3, [118, 152, 232]],
  [3, 3, [118, 152, 232]],
]) {
  const [x, y] = jack(c, r)
  disc(x, y, 16, color)
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buf) => {
  let c = 0xffffffff
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type, data) => {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}
const header = Buffer.alloc(13)
header.writeUInt32BE(size, 0)
header.writeUInt32BE(size, 4)
header[8] = 8 // bit depth
header[9] = 6 // RGBA
const rows = Buffer.alloc(size * (size * 4 + 1))
for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
])
writeFileSync(new URL('../.claude-plugin/icon.png', import.meta.url), png)
console.log(`wrote .claude-plugin/icon.png (${png.length} bytes)`)
