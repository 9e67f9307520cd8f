import type { Bot, BotLogger } from '../bot/bot.js'
import type { InboundPush } from '../protocol/inbound-push.js'
import { NO_REPLY, renderReply, type Reply } from '../protocol/reply.js'

export interface AnswerDeps {
  bot: Bot
  log: BotLogger
  nowSeconds: () => number
  /** How long the bot may take before WeChat is answered `success` and `late` takes over. */
  deadlineMs: number
  /** Receives the answer of a bot that missed the deadline (sent as a customer-service message). */
  late(reply: Reply | undefined): Promise<unknown>
}

/**
 * Runs the bot on a push and renders its passive reply (or `success`). A handler that throws in
 * time propagates: the caller must not answer `success`, so that WeChat's retry gets another chance.
 */
export async function answerPush (push: InboundPush, deps: AnswerDeps): Promise<string> {
  const work = Promise.resolve().then(async () => await deps.bot(push, { log: deps.log }))
  let timer: NodeJS.Timeout | undefined
  const missed = new Promise<'missed'>((resolve) => { timer = setTimeout(() => resolve('missed'), deps.deadlineMs) })
  const first = await Promise.race([work, missed]).finally(() => clearTimeout(timer))
  if (first === 'missed') {
    deps.log.warn({ pushType: push.type, deadlineMs: deps.deadlineMs }, 'handler missed the reply deadline; answering success, the reply follows as a customer-service message')
    work.then(deps.late, (err: unknown) => { deps.log.error({ err, pushType: push.type }, 'handler failed after the deadline') })
      .catch((err: unknown) => { deps.log.error({ err }, 'late reply failed') })
    return NO_REPLY
  }
  const result = first
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
