import type { BotLogger } from '../bot/bot.js'
import type { Reply } from '../protocol/reply.js'

/** What of an answer can follow as customer-service texts: a text reply; nothing else. */
export function textsOf (answer: Reply | undefined, log: BotLogger): string[] {
  if (answer === undefined) return []
  if (answer.type === 'text') return [answer.content]
  log.warn({ replyType: answer.type }, 'a non-text answer cannot follow later or share a text reply; dropped')
  return []
}
