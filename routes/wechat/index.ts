import type { FastifyPluginAsync } from 'fastify'
import { wechatSignature } from '../../plugins/wechat-signature.js'
import { wechatXmlBody } from '../../plugins/wechat-xml-body.js'
import type { Bot } from '../../src/bot/bot.js'
import type { Config } from '../../src/config.js'
import { envelopeSecrets } from '../../src/protocol/envelope.js'
import { createFallbackStore } from '../../src/store/fallback-store.js'
import { createMemoryStore } from '../../src/store/memory-store.js'
import { messagesRoute } from './messages.js'
import { verifyRoute } from './verify.js'

export interface WeChatRoutesOptions {
  config: Config
  bot: Bot
}

/** WeChat's push body is small; a tight limit keeps floods cheap. */
export const WECHAT_BODY_LIMIT = 64 * 1024

/**
 * Two entries per push (signature, reply): 10,000 keep each push past WeChat's 15 s of retries
 * up to about 300 pushes a second, in about 10 MB. Busier accounts run several instances on Redis.
 */
const DEDUP_MAX_ENTRIES = 10_000

/** The server URL: its own scope, so the signature hook and XML-only bodies stay on /wechat. */
export const wechatRoutes: FastifyPluginAsync<WeChatRoutesOptions> = async (app, { config, bot }) => {
  await app.register(wechatSignature, {
    token: config.wechatToken,
    maxAgeSeconds: config.signatureMaxAgeSeconds,
    onFailure: () => app.metrics.signatureFailures.inc()
  })
  await app.register(wechatXmlBody, { bodyLimit: WECHAT_BODY_LIMIT })

  const localDedup = createMemoryStore({ maxEntries: DEDUP_MAX_ENTRIES })
  app.addHook('onClose', async () => localDedup.close())
  // Alone, this instance keeps its dedup apart from the app store, so a flood of pushes evicts
  // no web session; beside others, dedup is shared and falls back to local memory.
  const dedupStore = app.storeIsLocal ? localDedup : createFallbackStore({
    primary: app.store,
    fallback: localDedup,
    onFallback: (operation, error) => {
      app.metrics.storeFallbacks.inc()
      // Only the kind of failure: a Redis error can carry its command's arguments (keys hold openids).
      app.log.warn({ operation, code: (error as { code?: unknown }).code, errorType: (error as Error).name }, 'shared store failed; dedup falls back to this instance\'s memory')
    }
  })
  const secrets = envelopeSecrets(config.wechatToken, config.appId,
    config.messageMode === 'plain' ? [] : [config.encodingAesKey, config.encodingAesKeyPrevious])

  verifyRoute(app)
  messagesRoute(app, { config, bot, secrets, dedupStore })
}
