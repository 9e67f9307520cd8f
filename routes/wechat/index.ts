import type { FastifyPluginAsync } from 'fastify'
import { callbackIpCheck, type CallbackIpCheckOptions } from '../../plugins/callback-ip.js'
import { wechatSignature } from '../../plugins/wechat-signature.js'
import { wechatXmlBody } from '../../plugins/wechat-xml-body.js'
import type { Account } from '../../src/accounts/account.js'
import type { PushPipeline } from '../../src/inbound/push-pipeline.js'
import { messagesRoute } from './messages.js'
import { verifyRoute } from './verify.js'

export interface WeChatRoutesOptions {
  account: (id: string) => Account | undefined
  pipeline: PushPipeline
  /** WECHAT_CALLBACK_IP_CHECK: pushes only from WeChat's callback addresses. */
  callbackIps?: CallbackIpCheckOptions | undefined
}

/** WeChat's push body is small; a tight limit keeps floods cheap. */
export const WECHAT_BODY_LIMIT = 64 * 1024

/**
 * The server URLs, `/wechat` (the account `default`) and `/wechat/<id>`: their own scope, so the
 * signature hook and XML-only bodies stay on them.
 */
export const wechatRoutes: FastifyPluginAsync<WeChatRoutesOptions> = async (app, { account, pipeline, callbackIps }) => {
  // First: a foreign address is refused before its signature is even computed.
  if (callbackIps !== undefined) await app.register(callbackIpCheck, callbackIps)
  await app.register(wechatSignature, { account, pipeline })
  await app.register(wechatXmlBody, { bodyLimit: WECHAT_BODY_LIMIT })
  for (const path of ['/wechat', '/wechat/:account']) {
    verifyRoute(app, path)
    messagesRoute(app, path, pipeline)
  }
}
