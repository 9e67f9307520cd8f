/** WeChat's limit for the content of one passive text reply, in UTF-8 bytes. */
export const PASSIVE_TEXT_MAX_BYTES = 2048

/** A newline or sentence end in the last quarter of a part is a nicer cut than the byte limit. */
const PREFERRED_CUT_WINDOW = 0.25
// Not the ASCII full stop: 3.5 and example.com would be cut.
const SENTENCE_END = /^[。！？!?；;…]$/u

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' })

export function utf8Bytes (text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** Where to cut `part` (an index into it, in graphemes): after the last newline, else the last sentence end, in the window. */
function preferredCut (part: readonly string[], bytesBefore: readonly number[], windowStartBytes: number): number {
  for (const test of [(g: string) => g.includes('\n'), (g: string) => SENTENCE_END.test(g)]) {
    for (let i = part.length - 1; i > 0 && (bytesBefore[i] as number) >= windowStartBytes; i--) {
      if (test(part[i] as string)) return i + 1
    }
  }
  return part.length
}

/** Code points, for the one grapheme longer than a part (a pile of combining marks): nothing else is left to cut on. */
function* pieces (text: string, maxBytes: number): Generator<string> {
  for (const { segment } of graphemes.segment(text)) {
    if (utf8Bytes(segment) <= maxBytes) yield segment
    else yield * Array.from(segment)
  }
}

/**
 * Splits a text into parts of at most `maxBytes` UTF-8 bytes, cutting only between graphemes
 * (never inside a surrogate pair, an emoji ZWJ sequence or a letter and its combining marks),
 * after a newline or sentence end near the end of a part when there is one. Whitespace around a
 * cut is dropped; a text that fits is one part; an empty text none.
 */
export function splitUtf8 (text: string, maxBytes: number = PASSIVE_TEXT_MAX_BYTES): string[] {
  if (!Number.isInteger(maxBytes) || maxBytes < 4) throw new RangeError('maxBytes must be an integer of at least 4 (one code point)')
  const parts: string[] = []
  let part: string[] = []
  // bytesBefore[i]: the bytes of part[0..i), so a cut at i leaves that many.
  let bytesBefore: number[] = []
  let bytes = 0
  const push = (graphemesOfPart: readonly string[]): void => {
    const joined = graphemesOfPart.join('').trim()
    if (joined !== '') parts.push(joined)
  }
  for (const piece of pieces(text, maxBytes)) {
    const size = utf8Bytes(piece)
    // A loop: after a nice cut the rest and a big piece may still not fit together.
    while (part.length > 0 && bytes + size > maxBytes) {
      const cut = preferredCut(part, bytesBefore, maxBytes * (1 - PREFERRED_CUT_WINDOW))
      push(part.slice(0, cut))
      part = part.slice(cut)
      bytesBefore = []
      bytes = 0
      for (const kept of part) { bytesBefore.push(bytes); bytes += utf8Bytes(kept) }
    }
    part.push(piece)
    bytesBefore.push(bytes)
    bytes += size
  }
  push(part)
  return parts
}
