import type { FastifyError, FastifyPluginAsync } from 'fastify'
import { metricsPlugin } from '../plugins/metrics.js'
import { storePlugin } from '../plugins/store.js'
import { wechatApiPlugin } from '../plugins/wechat-api.js'
import { healthRoutes } from '../routes/health.js'
import { metricsRoutes } from '../routes/metrics.js'
import { wechatRoutes } from '../routes/wechat/index.js'
import { createBot, type Bot, type BotHandlers } from './bot/bot.js'
import { echoBotHandlers } from './bot/echo-bot.js'
import type { Config } from './config.js'
import type { Store } from './store/store.js'

export interface AppOptions {
  config: Config
  /** The account's handlers; the echo bot when absent. */
  handlers?: BotHandlers
  /** A store built by the caller (tests); otherwise from the config. */
  store?: Store
}

/** The whole service as one plugin: what server.ts listens with and what tests inject into. */
export const app: FastifyPluginAsync<AppOptions> = async (fastify, { config, handlers, store }) => {
  const bot: Bot = createBot(handlers ?? echoBotHandlers({ welcomeText: config.welcomeText }))

  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.statusCode ?? 500
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed')
      return reply.code(statusCode).type('text/plain; charset=utf-8').send('internal error')
    }
    request.log.info({ code: error.code, statusCode }, error.message)
    return reply.code(statusCode).type('text/plain; charset=utf-8').send(error.message)
  })

  await fastify.register(metricsPlugin)
  await fastify.register(storePlugin, { redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix, store })
  await fastify.register(wechatApiPlugin, { config })
  await fastify.register(healthRoutes)
  await fastify.register(metricsRoutes, { token: config.metricsToken })
  await fastify.register(wechatRoutes, { config, bot })
}
