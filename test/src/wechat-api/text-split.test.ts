import { test } from 'tap'
import { CUSTOM_TEXT_MAX_BYTES, splitText } from '../../../src/wechat-api/text-split.js'

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

test('short text is one part; empty text is none', async (t) => {
  t.same(splitText('你好'), ['你好'])
  t.same(splitText(''), [])
  t.equal(CUSTOM_TEXT_MAX_BYTES, 2048)
})

test('CJK at the boundary: never half a character, each part within the limit, nothing lost', async (t) => {
  // 683 characters of 3 bytes: 2049 bytes, one past the limit.
  const text = '中'.repeat(683)
  const parts = splitText(text)
  t.same(parts.map(bytes), [2046, 3], '682 characters fit (2046 bytes); the 683rd would make 2049')
  t.equal(parts.join(''), text)
  t.same(splitText('中'.repeat(682) + 'ab'), ['中'.repeat(682) + 'ab'], 'exactly 2048 bytes is one part')
  t.same(splitText('中'.repeat(682) + 'abc').map(bytes), [2048, 1])
})

test('emoji at the boundary: a family emoji, a flag and a skin tone stay whole', async (t) => {
  const family = '👨‍👩‍👧‍👦' // 25 bytes: four people joined by zero-width joiners
  const flag = '🇨🇳' // 8 bytes: two regional indicators
  const wave = '👋🏽' // 8 bytes: a hand and its skin tone
  for (const emoji of [family, flag, wave]) {
    const text = 'a'.repeat(2040) + emoji + 'b'
    const parts = splitText(text)
    t.equal(parts.join(''), text)
    t.ok(parts.every((part) => bytes(part) <= 2048))
    t.ok(parts.some((part) => part.includes(emoji)), `${emoji} is in one part, not cut`)
  }
  const parts = splitText('😀'.repeat(600), 10)
  t.same(new Set(parts), new Set(['😀😀']), 'two 4-byte emoji per 10-byte part, never 2.5')
})

test('a cut prefers the last line break in the second half of a message', async (t) => {
  const first = `${'x'.repeat(1500)}\n`
  const text = first + 'y'.repeat(1000)
  t.same(splitText(text), [first, 'y'.repeat(1000)], 'the paragraph stays whole')
  const early = `${'x'.repeat(100)}\n${'y'.repeat(3000)}`
  const parts = splitText(early)
  t.equal(bytes(parts[0] as string), 2048, 'a break in the first half is not worth a short message')
  t.equal(parts.join(''), early)
  const crlf = `${'x'.repeat(1500)}\r\n${'y'.repeat(1000)}`
  t.same(splitText(crlf), [`${'x'.repeat(1500)}\r\n`, 'y'.repeat(1000)], 'CRLF is one break')
})

test('after a cut at a line break, a unit too big for the rest starts a message of its own', async (t) => {
  // 12-byte limit: "abcdefg\n" (8 bytes), "hij", then a 4-byte emoji: cut at the break.
  t.same(splitText('abcdefg\nhij😀', 12), ['abcdefg\n', 'hij😀'])
  // "abcde\n" (6), "fghij" (5), then an 8-byte flag: even after the break 5 + 8 > 12.
  t.same(splitText('abcde\nfghij🇨🇳', 12), ['abcde\n', 'fghij', '🇨🇳'])
})

test('a grapheme longer than a message is cut between its code points', async (t) => {
  const zalgo = `e${'\u0301'.repeat(30)}` // one grapheme of 61 bytes
  const parts = splitText(zalgo, 16)
  t.equal(parts.join(''), zalgo)
  t.ok(parts.every((part) => bytes(part) <= 16))
  t.ok(parts.every((part) => !part.includes('\uFFFD') && Buffer.from(part, 'utf8').toString('utf8') === part), 'no broken UTF-8')
})

test('a limit that cannot hold a character is refused', async (t) => {
  t.throws(() => splitText('x', 3), RangeError)
  t.throws(() => splitText('x', 10.5), /integer of at least 4/)
})
