import { test } from 'tap'
import { isEncodingAesKey, parseEncodingAesKey } from '../../../src/protocol/aes-key.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

// An independent base64 decoder (bit packing by hand) so the test does not trust Buffer's.
function decodeByHand (text: string): number[] {
  const bytes: number[] = []
  let bits = 0
  let width = 0
  for (const char of text) {
    bits = (bits << 6) | ALPHABET.indexOf(char)
    width += 6
    if (width >= 8) {
      width -= 8
      bytes.push((bits >> width) & 0xff)
    }
  }
  return bytes
}

test('43 x A is legal and is the all-zero AES-256 key (docs/protocol.md §9.7)', async (t) => {
  const key = parseEncodingAesKey('A'.repeat(43))
  t.equal(key.length, 32)
  t.same([...key], new Array(32).fill(0))
})

test("the official sample's key decodes to the 32 bytes of base64(key + '=')", async (t) => {
  // WXBizMsgCrypt samples: encodingAESKey "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
  const text = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
  const key = parseEncodingAesKey(text)
  t.equal(key.length, 32)
  t.same([...key], decodeByHand(text).slice(0, 32))
  t.ok(isEncodingAesKey(text))
})

test('anything but 43 characters of [A-Za-z0-9] is refused without echoing the key', async (t) => {
  const base = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEF'
  const bad = [
    '', base, base + 'GH', base + '+', base + '/', base + '=', base + '-', base + '_', base + ' ',
    ' ' + base, base + 'é', base + '\n', 'A'.repeat(44)
  ]
  for (const value of bad) {
    t.notOk(isEncodingAesKey(value), JSON.stringify(value))
    t.throws(() => parseEncodingAesKey(value), TypeError)
    try {
      parseEncodingAesKey(value)
    } catch (error) {
      if (value.length > 0) t.notOk((error as Error).message.includes(value), 'no key text in the message')
    }
  }
})
