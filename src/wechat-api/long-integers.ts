// A JSON string literal, or a bare integer of 16+ digits that is not part of a fraction or
// exponent. Strings are matched first so digits inside them are never touched.
const STRING_OR_LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\w.+-])-?\d{16,}(?![\w.])/g

/**
 * JSON.parse that keeps integers of 16 or more digits as their exact decimal strings, since
 * WeChat ids such as a template `msgid` exceed 2^53 and a double would silently round them.
 */
export function parseJsonKeepingLongIntegers (text: string): unknown {
  const quoted = text.replace(STRING_OR_LONG_INTEGER, (match) => match.startsWith('"') ? match : `"${match}"`)
  return JSON.parse(quoted)
}
