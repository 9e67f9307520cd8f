import type { Bot, BotLogger } from '../bot/bot.js'
import type { InboundPush } from '../protocol/inbound-push.js'
import { NO_REPLY, renderReply } from '../protocol/reply.js'

export interface AnswerDeps {
  bot: Bot
  log: BotLogger
  nowSeconds: () => number
}

/**
 * Runs the bot on a push and renders its passive reply (or `success`). A handler that throws
 * propagates: the caller must not answer `success`, so that WeChat's retry gets another chance.
 */
export async function answerPush (push: InboundPush, deps: AnswerDeps): Promise<string> {
  const result = await deps.bot(push, { log: deps.log })
  if (result === undefined) return NO_REPLY
  const { message } = push
  const rendered = renderReply(result, {
    toUser: message.FromUserName,
    fromAccount: message.ToUserName,
    inboundType: message.MsgType,
    createTime: deps.nowSeconds()
  })
  if (rendered.ok) return rendered.xml
  // An invalid reply would show the fan "该公众号暂时无法提供服务"; saying nothing is kinder.
  deps.log.error({ pushType: push.type, reason: rendered.reason }, 'handler returned an invalid reply; answering success')
  return NO_REPLY
}
