import { createHash } from 'node:crypto'
import { deflateSync } from 'node:zlib'

const MODULES = 21
const SCALE = 8
const QUIET = 4

// PNG chunks end with a CRC-32 of type and data (ISO 3309, as zlib computes it).
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = (c & 1) === 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32 (bytes: Buffer): number {
  let c = 0xffffffff
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk (type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

const inFinder = (x: number, y: number): boolean | undefined => {
  for (const [fx, fy] of [[0, 0], [MODULES - 7, 0], [0, MODULES - 7]] as const) {
    const dx = x - fx
    const dy = y - fy
    if (dx >= 0 && dx < 7 && dy >= 0 && dy < 7) {
      const ring = Math.min(dx, dy, 6 - dx, 6 - dy)
      return ring !== 1
    }
  }
  return undefined
}

/**
 * A QR-code-looking PNG for a ticket: three finder squares and modules drawn from the ticket's
 * hash, so each ticket has its own picture. Not scannable: the sandbox "scans" in its console.
 */
export function qrCodePng (ticket: string): Buffer {
  const hash = createHash('sha256').update(ticket).digest()
  const size = (MODULES + 2 * QUIET) * SCALE
  const rows: Buffer[] = []
  for (let py = 0; py < size; py++) {
    // Each row starts with filter type 0; greyscale, one byte per pixel.
    const row = Buffer.alloc(size + 1, 0xff)
    row[0] = 0
    const y = Math.floor(py / SCALE) - QUIET
    for (let px = 0; px < size; px++) {
      const x = Math.floor(px / SCALE) - QUIET
      if (x < 0 || y < 0 || x >= MODULES || y >= MODULES) continue
      const index = y * MODULES + x
      const dark = inFinder(x, y) ?? (((hash[Math.floor(index / 8) % 32] as number) >> (index % 8)) & 1) === 1
      if (dark) row[px + 1] = 0
    }
    rows.push(row)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 0, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0))
  ])
}
