import type { BotLogger } from '../bot/bot.js'
import type { Reply } from '../protocol/reply.js'
import { isPermanentSendError } from '../wechat-api/custom-message.js'

export interface LateReplyOptions {
  send(openid: string, content: string): Promise<void>
  log: BotLogger
  attempts?: number
  backoffMs?: number
  /** After each text that reached the fan (a durable job records its progress here). */
  onDelivered?(count: number): Promise<void>
}

export interface LateTextsResult {
  /** How many of the texts reached the fan, from the first. */
  delivered: number
  /** The errcode that stopped the rest, when WeChat gave one (48001: the account may not send them). */
  code?: number
  /** Whether what stopped the rest cannot succeed on a later try (isPermanentSendError). */
  permanent?: boolean
}

/** WeChat's errcode on the account's behalf: the account is not allowed customer-service messages. */
export const UNAUTHORIZED_ERRCODE = 48001

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
  return (await deliverLateTexts(openid, [reply.content], options)).delivered === 1
}

/** Sends texts in order, one customer-service message each; the first that cannot be sent stops the rest. */
export async function deliverLateTexts (openid: string, texts: readonly string[], options: LateReplyOptions): Promise<LateTextsResult> {
  for (const [index, text] of texts.entries()) {
    const failure = await sendOne(openid, text, options)
    if (failure !== undefined) return { delivered: index, permanent: failure.permanent, ...(typeof failure.code === 'number' && { code: failure.code }) }
    await options.onDelivered?.(index + 1)
  }
  return { delivered: texts.length }
}

/** Undefined when sent; else what stopped it. */
async function sendOne (openid: string, text: string, options: LateReplyOptions): Promise<{ code: unknown, permanent: boolean } | undefined> {
  const attempts = options.attempts ?? 3
  const backoffMs = options.backoffMs ?? 1000
  for (let attempt = 1; ; attempt++) {
    try {
      await options.send(openid, text)
      options.log.info({ attempt }, 'late reply delivered as a customer-service message')
      return undefined
    } catch (error) {
      const permanent = isPermanentSendError(error)
      const code = (error as { code?: unknown }).code
      if (permanent || attempt >= attempts) {
        options.log.warn({ attempt, code, permanent }, 'late reply could not be delivered')
        return { code, permanent }
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs * attempt))
    }
  }
}
