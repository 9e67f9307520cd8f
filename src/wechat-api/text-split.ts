/**
 * The longest customer-service text WeChat delivers whole: 2048 bytes of UTF-8 is the limit
 * known from practice (the documents give none); longer text is cut or refused (45002).
 */
export const CUSTOM_TEXT_MAX_BYTES = 2048

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
const bytesOf = (text: string): number => Buffer.byteLength(text, 'utf8')

// What a message may be cut into: graphemes (a flag, a family emoji, a letter with its accents),
// except a grapheme too long for one message on its own, which is cut between its code points.
function units (text: string, maxBytes: number): string[] {
  const found: string[] = []
  for (const { segment } of graphemes.segment(text)) {
    if (bytesOf(segment) <= maxBytes) found.push(segment)
    else found.push(...segment)
  }
  return found
}

/**
 * Splits text into messages of at most `maxBytes` UTF-8 bytes each, never inside a character
 * or an emoji. A cut falls after a line break when one lies in the second half of the message,
 * so paragraphs stay whole where they can. Joined again, the parts are the text.
 */
export function splitText (text: string, maxBytes = CUSTOM_TEXT_MAX_BYTES): string[] {
  // A code point takes up to 4 bytes: a smaller limit could not hold every character.
  if (!Number.isInteger(maxBytes) || maxBytes < 4) throw new RangeError('maxBytes is an integer of at least 4')
  const parts: string[] = []
  let current: string[] = []
  let currentBytes = 0
  // Units and bytes up to and including the last line break of `current`.
  let breakUnits = 0
  let breakBytes = 0
  for (const unit of units(text, maxBytes)) {
    const size = bytesOf(unit)
    if (currentBytes + size > maxBytes) {
      const keep = breakBytes * 2 >= maxBytes ? breakUnits : current.length
      parts.push(current.slice(0, keep).join(''))
      current = current.slice(keep)
      currentBytes = bytesOf(current.join(''))
      breakUnits = 0
      breakBytes = 0
      // What followed the line break may still leave no room for this unit.
      if (currentBytes + size > maxBytes) {
        parts.push(current.join(''))
        current = []
        currentBytes = 0
      }
    }
    current.push(unit)
    currentBytes += size
    if (unit === '\n' || unit === '\r\n') {
      breakUnits = current.length
      breakBytes = currentBytes
    }
  }
  if (current.length > 0) parts.push(current.join(''))
  return parts
}
