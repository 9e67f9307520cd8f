import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { accessLog } from './plugins/access-log.js'
import { errorHandlers } from './plugins/error-handlers.js'
import { lateAnswerQueuePlugin } from './plugins/late-answer-queue.js'
import { metricsPlugin } from './plugins/metrics.js'
import { storePlugin } from './plugins/store.js'
import { healthRoutes } from './routes/health.js'
import { metricsRoutes } from './routes/metrics.js'
import { webRoutes } from './routes/web/index.js'
import { wechatRoutes } from './routes/wechat/index.js'
import { buildAccount, type Account, type BotFactory } from './src/accounts/account.js'
import { AccountRegistry, type RegistryChange } from './src/accounts/account-registry.js'
import type { AccountSettings } from './src/accounts/account-settings.js'
import { configuredAccounts } from './src/accounts/configured-accounts.js'
import { createBot, type BotHandlers } from './src/bot/bot.js'
import { createDefaultBot } from './src/bot/default-bot.js'
import { echoBotHandlers } from './src/bot/echo-bot.js'
import { loadConfig, type Config } from './src/config.js'
import { loadOfficialClient } from './src/llm/llm-chat.js'
import { initAccountMetrics } from './src/metrics.js'
import { createPushPipeline } from './src/inbound/push-pipeline.js'
import type { Store } from './src/store/store.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The accounts this server answers; `reload` replaces them (SIGHUP) without a restart. */
    wemp: {
      accounts: AccountRegistry
      reload(settings: readonly AccountSettings[]): RegistryChange
    }
  }
}

export interface WempOptions {
  /** Server-wide settings; from the environment, as the server reads them, when absent. */
  config?: Config
  /** The accounts; from the configuration (WECHAT_ACCOUNTS_FILE or the single-account variables) when absent. */
  accounts?: readonly AccountSettings[]
  /** The bot of every account, or of some, by account id (the others get the default bot). */
  bot?: BotFactory | Readonly<Record<string, BotFactory>>
  /** Handlers per message type, the echo bot filling the gaps (tests and quick bots). */
  handlers?: BotHandlers
  /** A store built by the caller (tests); otherwise from the config. */
  store?: Store
}

/**
 * The whole service as one plugin: what service.ts listens with, what tests inject into and what
 * a user's own Fastify app registers. Only `app.wemp` is visible outside; the routes, the error
 * pages and the stores stay in wemp's own scope.
 */
export const wemp = fp<WempOptions>(async (outer, options) => {
  const config = options.config ?? loadConfig(process.env).config
  const settings = options.accounts ?? configuredAccounts(config, process.env)
  // Before the first push, so that an account's first question does not wait for it.
  if (settings.some((account) => account.llm !== undefined)) await loadOfficialClient()
  let registry: AccountRegistry | undefined
  await outer.register(async (app) => {
    await app.register(accessLog)
    await app.register(errorHandlers)
    await app.register(metricsPlugin)
    await app.register(storePlugin, { redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix, store: options.store })
    const { metrics } = app
    const accounts = new AccountRegistry((account) => buildAccountIn(app, account, config, options), settings)
    registry = accounts
    const account = (id: string) => accounts.get(id)
    await app.register(lateAnswerQueuePlugin, { redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix, leaseMs: config.lateAnswerLeaseMs, account })
    const pipeline = createPushPipeline({ metrics, replyDeadlineMs: config.replyDeadlineMs, signatureMaxAgeSeconds: config.signatureMaxAgeSeconds, lateAnswers: app.lateAnswers, localDedup: app.storeIsLocal })
    await app.register(healthRoutes, { maxEventLoopDelayMs: config.readyMaxEventLoopDelayMs, maxHeapPercent: config.readyMaxHeapPercent })
    await app.register(metricsRoutes, { token: config.metricsToken })
    const callbackIps = config.wechatCallbackIpCheck ? { accounts: () => accounts.list(), refreshMs: config.wechatCallbackIpRefreshSeconds * 1000 } : undefined
    await app.register(wechatRoutes, { account, pipeline, callbackIps })
    await app.register(webRoutes, { config, account })
  })
  const accounts = registry as AccountRegistry
  outer.decorate('wemp', { accounts, reload: (next) => accounts.replace(next) })
}, { name: 'wemp', fastify: '5.x' })

/** An account with its stores, API client (metrics labelled with its id) and bot. */
function buildAccountIn (app: FastifyInstance, account: AccountSettings, config: Config, options: WempOptions): Account {
  const { metrics } = app
  initAccountMetrics(metrics, account.id)
  return buildAccount(account, {
    config,
    store: app.store,
    dedupStore: app.dedupStore,
    apiBase: config.apiBase,
    tokenApi: config.tokenApi,
    apiEvents: (id) => ({
      tokenFetched: () => metrics.accessTokenFetches.inc({ account: id }),
      apiError: (errcode) => metrics.wechatApiErrors.inc({ account: id, errcode: String(errcode) })
    }),
    bot: botFactoryFor(account.id, options)
  })
}

function botFactoryFor (id: string, { bot, handlers }: WempOptions): BotFactory {
  const own = typeof bot === 'function' ? bot : bot?.[id]
  if (own !== undefined) return own
  if (handlers !== undefined) return ({ account }) => createBot({ ...echoBotHandlers({ welcomeText: account.welcomeText }), ...handlers })
  return createDefaultBot
}
