import type { FastifyPluginAsync } from 'fastify'
import { errorHandlers } from './plugins/error-handlers.js'
import { metricsPlugin } from './plugins/metrics.js'
import { storePlugin } from './plugins/store.js'
import { viewsPlugin } from './plugins/views.js'
import { wechatApiPlugin } from './plugins/wechat-api.js'
import { healthRoutes } from './routes/health.js'
import { jssdkRoutes } from './routes/jssdk.js'
import { metricsRoutes } from './routes/metrics.js'
import { webRoutes } from './routes/web/index.js'
import { wechatRoutes } from './routes/wechat/index.js'
import { createBot, type Bot, type BotHandlers } from './src/bot/bot.js'
import { createDefaultBot } from './src/bot/default-bot.js'
import { echoBotHandlers } from './src/bot/echo-bot.js'
import type { Config } from './src/config.js'
import type { Store } from './src/store/store.js'
import type { WeChatApi } from './src/wechat-api/wechat-api.js'

/** What a bot may use: the app's shared services, built before the bot. */
export interface BotServices {
  config: Config
  store: Store
  wechatApi: WeChatApi
}

export interface AppOptions {
  config: Config
  /** Handlers per message type (the echo bot fills the gaps it leaves)… */
  handlers?: BotHandlers
  /** …or a whole bot built from the app's services; the default bot when neither is given. */
  bot?: (services: BotServices) => Bot
  /** A store built by the caller (tests); otherwise from the config. */
  store?: Store
}

/** The whole service as one plugin: what server.ts listens with and what tests inject into. */
export const app: FastifyPluginAsync<AppOptions> = async (fastify, { config, handlers, bot: buildBot, store }) => {
  await fastify.register(errorHandlers)
  await fastify.register(metricsPlugin)
  await fastify.register(storePlugin, { redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix, store })
  await fastify.register(wechatApiPlugin, { config })
  await fastify.register(healthRoutes)
  await fastify.register(metricsRoutes, { token: config.metricsToken })
  await fastify.register(jssdkRoutes, { appId: config.appId, publicUrl: config.publicUrl })
  const services: BotServices = { config, store: fastify.store, wechatApi: fastify.wechatApi }
  const bot: Bot = buildBot !== undefined
    ? buildBot(services)
    : handlers !== undefined
      ? createBot({ ...echoBotHandlers({ welcomeText: config.welcomeText }), ...handlers })
      : createDefaultBot(services)
  await fastify.register(wechatRoutes, { config, bot })
  await fastify.register(viewsPlugin, { production: config.production })
  await fastify.register(webRoutes, { config })
}
