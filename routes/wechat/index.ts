import type { FastifyPluginAsync } from 'fastify'
import { wechatSignature } from '../../plugins/wechat-signature.js'
import { wechatXmlBody } from '../../plugins/wechat-xml-body.js'
import type { Bot } from '../../src/bot/bot.js'
import type { Config } from '../../src/config.js'
import { messagesRoute } from './messages.js'
import { verifyRoute } from './verify.js'

export interface WeChatRoutesOptions {
  config: Config
  bot: Bot
}

/** WeChat's push body is small; a tight limit keeps floods cheap. */
export const WECHAT_BODY_LIMIT = 64 * 1024

/** The server URL: its own scope, so the signature hook and XML-only bodies stay on /wechat. */
export const wechatRoutes: FastifyPluginAsync<WeChatRoutesOptions> = async (app, { config, bot }) => {
  await app.register(wechatSignature, { token: config.wechatToken, maxAgeSeconds: config.signatureMaxAgeSeconds })
  await app.register(wechatXmlBody, { bodyLimit: WECHAT_BODY_LIMIT })
  verifyRoute(app)
  messagesRoute(app, { config, bot })
}
