import type { BotLogger } from '../bot/bot.js'
import type { Reply } from '../protocol/reply.js'
import { isPermanentSendError } from '../wechat-api/custom-message.js'

export interface LateReplyOptions {
  send(openid: string, content: string): Promise<void>
  log: BotLogger
  attempts?: number
  backoffMs?: number
}

/**
 * Delivers an answer that missed WeChat's passive-reply deadline as a customer-service message,
 * with a bounded retry. Outside the 48-hour window or over quota (45015/45047) it stops at once.
 */
export async function deliverLateReply (openid: string, reply: Reply | undefined, options: LateReplyOptions): Promise<boolean> {
  if (reply === undefined) return false
  if (reply.type !== 'text') {
    options.log.warn({ replyType: reply.type }, 'a late non-text reply cannot be sent as a customer-service text; dropped')
    return false
  }
  const attempts = options.attempts ?? 3
  const backoffMs = options.backoffMs ?? 1000
  for (let attempt = 1; ; attempt++) {
    try {
      await options.send(openid, reply.content)
      options.log.info({ attempt }, 'late reply delivered as a customer-service message')
      return true
    } catch (error) {
      const permanent = isPermanentSendError(error)
      const code = (error as { code?: unknown }).code
      if (permanent || attempt >= attempts) {
        options.log.warn({ attempt, code, permanent }, 'late reply could not be delivered')
        return false
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs * attempt))
    }
  }
}
