import type { FastifyInstance } from 'fastify'
import type { Bot } from '../../src/bot/bot.js'
import type { Config } from '../../src/config.js'
import { toInboundPush } from '../../src/protocol/inbound-push.js'
import type { XmlFields } from '../../src/protocol/xml-codec.js'
import { answerPush } from '../../src/push/answer-push.js'
import { NO_REPLY } from '../../src/protocol/reply.js'

export interface MessagesRouteOptions {
  config: Config
  bot: Bot
}

/** Every message and event WeChat pushes: typed, answered by the bot, replied to passively. */
export function messagesRoute (app: FastifyInstance, { config, bot }: MessagesRouteOptions): void {
  app.post('/wechat', async (request, reply) => {
    const result = toInboundPush(request.body as XmlFields)
    if (!result.ok) {
      request.log.warn({ field: result.field }, 'push does not match its schema')
      return reply.code(400).type('text/plain; charset=utf-8').send(`invalid field: ${result.field}`)
    }
    const { push } = result
    const { openid } = request.query as { openid?: unknown }
    const misaddressed = (openid !== undefined && openid !== push.message.FromUserName) ||
      (config.accountId !== undefined && config.accountId !== push.message.ToUserName)
    if (misaddressed) {
      request.log.warn({ pushType: push.type }, 'push identity does not match its query or this account')
      return reply.code(400).type('text/plain; charset=utf-8').send('push identity mismatch')
    }
    request.log.info({ pushKind: push.kind, pushType: push.type }, 'push received')
    let answer: string
    try {
      answer = await answerPush(push, { bot, log: request.log, nowSeconds: () => Math.floor(Date.now() / 1000) })
    } catch (err) {
      // Not `success`: WeChat retries a failed push, so nothing is lost.
      request.log.error({ err, pushType: push.type }, 'handler failed')
      return reply.code(503).type('text/plain; charset=utf-8').send('handler failed')
    }
    return reply.type(answer === NO_REPLY ? 'text/plain; charset=utf-8' : 'application/xml; charset=utf-8').send(answer)
  })
}
