/**
 * A node or V8 flag among node's words (its command line, NODE_OPTIONS), in any of its spellings,
 * as `--flag=value` or `--flag value`: the flag with its value, or undefined when it is not there.
 */
export function givenFlag (words: readonly string[], spellings: readonly string[]): string | undefined {
  const at = words.findIndex((word) => spellings.some((flag) => word === flag || word.startsWith(`${flag}=`)))
  if (at === -1) return undefined
  const word = words[at] as string
  return word.includes('=') ? word : `${word}=${words[at + 1] ?? ''}`
}
