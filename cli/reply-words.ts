import type { Reply } from '../src/protocol/reply.js'

/** A bot's reply in a few words, for the CLI's reports. */
export function describeReply (reply: Reply | undefined): string {
  if (reply === undefined) return 'no reply'
  if (reply.type === 'text') return `“${reply.content}”`
  return `${/^[aeiou]/.test(reply.type) ? 'an' : 'a'} ${reply.type} reply`
}
