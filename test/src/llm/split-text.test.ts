import { test, type Test } from 'tap'
import { PASSIVE_TEXT_MAX_BYTES, splitUtf8, utf8Bytes } from '../../../src/llm/split-text.js'

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' })
const graphemesOf = (text: string): string[] => Array.from(segmenter.segment(text), (s) => s.segment)

/** Every part fits, and the parts are the text's graphemes in order (cuts only drop whitespace). */
function checkParts (t: Test, text: string, parts: string[], maxBytes = PASSIVE_TEXT_MAX_BYTES): void {
  for (const [i, part] of parts.entries()) t.ok(utf8Bytes(part) <= maxBytes, `part ${i}: ${utf8Bytes(part)} bytes`)
  const whole = graphemesOf(text).filter((g) => g.trim() !== '')
  t.same(parts.flatMap(graphemesOf).filter((g) => g.trim() !== ''), whole, 'no grapheme split, lost or moved')
}

test('a text that fits is one part; nothing is none', async (t) => {
  t.same(splitUtf8('你好'), ['你好'])
  const full = '好'.repeat(682) + 'ab'
  t.equal(utf8Bytes(full), 2048)
  t.same(splitUtf8(full), [full], 'exactly 2048 bytes fits')
  t.same(splitUtf8(''), [])
  t.same(splitUtf8('  \n '), [])
})

test('CJK at the 2048-byte boundary: 3-byte characters are never cut', async (t) => {
  const text = '中'.repeat(700)
  const parts = splitUtf8(text)
  t.same(parts.map(utf8Bytes), [2046, 54], '682 characters, then the rest')
  checkParts(t, text, parts)
})

test('emoji at the boundary: a surrogate pair, a ZWJ family, a flag and a skin tone stay whole', async (t) => {
  for (const emoji of ['😀', '👨‍👩‍👧‍👦', '🇨🇳', '👍🏽', '❤️']) {
    for (let pad = 2040; pad <= 2048; pad++) {
      const text = 'a'.repeat(pad) + emoji + 'b'.repeat(10)
      const parts = splitUtf8(text)
      t.equal(parts.length, 2, `${emoji} after ${pad} bytes`)
      checkParts(t, text, parts)
      t.ok(parts.some((part) => part.includes(emoji)), `${emoji} after ${pad}: whole in one part`)
    }
  }
})

test('combining marks stay with their letter', async (t) => {
  const text = 'a'.repeat(2046) + 'é' + 'e\u0301\u0323' + 'z'
  const parts = splitUtf8(text)
  checkParts(t, text, parts)
  t.ok(parts[1]?.startsWith('e\u0301\u0323'), 'the letter and both marks move together')
})

test('a newline or sentence end near the end of a part is where it is cut', async (t) => {
  const first = '第一段。'.repeat(150)
  const newline = `${first}\n${'第二段的内容'.repeat(100)}`
  const byNewline = splitUtf8(newline)
  t.equal(byNewline[0], first, 'after the newline, which is dropped')
  checkParts(t, newline, byNewline)

  const sentences = '这是一句话，'.repeat(100) + '到此为止！' + '后面还有很多字'.repeat(40)
  const bySentence = splitUtf8(sentences)
  t.ok(bySentence[0]?.endsWith('到此为止！'), 'after the sentence end')
  checkParts(t, sentences, bySentence)

  const early = `开头。\n${'长'.repeat(1000)}`
  const hard = splitUtf8(early)
  t.ok(hard[0]?.startsWith('开头。\n长'), 'a break far from the end is ignored…')
  t.equal(utf8Bytes(hard[0] ?? ''), 10 + 679 * 3, '…and the part is filled')
  checkParts(t, early, hard)

  const dotted = `${'x'.repeat(2000)} 3.5 example.com ${'y'.repeat(100)}`
  t.ok(utf8Bytes(splitUtf8(dotted)[0] ?? '') > 2040, 'an ASCII full stop is not a sentence end')
})

test('a long text becomes many parts, each within the limit', async (t) => {
  const text = Array.from({ length: 40 }, (_, i) => `第${i}条：${'天气晴朗，适合出行😀'.repeat(12)}`).join('\n')
  const parts = splitUtf8(text)
  t.ok(parts.length >= 4, `${parts.length} parts`)
  checkParts(t, text, parts)
})

test('a smaller limit, and a grapheme larger than a part (a pile of marks) is cut by code point', async (t) => {
  const text = 'ab' + 'e' + '\u0301'.repeat(20) + 'cd'
  const parts = splitUtf8(text, 8)
  for (const part of parts) t.ok(utf8Bytes(part) <= 8)
  t.equal(parts.join(''), text)
  t.throws(() => splitUtf8('x', 3), RangeError)
  t.throws(() => splitUtf8('x', 10.5), RangeError)
})

test('a big piece after a nice cut still fits: the rest is cut again', async (t) => {
  // A sentence end in the window, then an emoji family too big to share a part with the rest.
  const family = '👨‍👩‍👧‍👦'
  const text = `${'a'.repeat(21)}。bbbb${family}`
  const parts = splitUtf8(text, 28)
  for (const part of parts) t.ok(utf8Bytes(part) <= 28, `${part}: ${utf8Bytes(part)}`)
  t.same(parts, [`${'a'.repeat(21)}。`, 'bbbb', family])
})
