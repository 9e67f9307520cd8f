import { setTimeout as sleep } from 'node:timers/promises'
import { buildAccount } from '../src/accounts/account.js'
import type { BotFactory } from '../src/accounts/account.js'
import type { AccountSettings } from '../src/accounts/account-settings.js'
import { configuredAccounts } from '../src/accounts/configured-accounts.js'
import { loadUserBot } from '../src/accounts/user-bot.js'
import type { Bot } from '../src/bot/bot.js'
import { createDefaultBot } from '../src/bot/default-bot.js'
import { ConfigError, loadConfig } from '../src/config.js'
import type { Config } from '../src/config.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { createRedisStore } from '../src/store/redis-store.js'
import type { Store } from '../src/store/store.js'
import type { WeChatApi } from '../src/wechat-api/wechat-api.js'
import { UnavailableError, UsageError } from './cli-output.js'

type Env = Record<string, string | undefined>

/** One account as the CLI uses it: the server's configuration, store keys and bot. */
export interface CliAccount {
  settings: AccountSettings
  config: Config
  /** On the account's view of the shared store: the servers' access_token, never one of its own. */
  api: WeChatApi
  /** The bot as the server builds it (WEMP_BOT included), on a store of its own: a dry run changes no fan's state. */
  bot(): Promise<Bot>
  close(): Promise<void>
}

export interface OpenOptions {
  /** `--account`: needed when the configuration lists several. */
  accountId?: string | undefined
  cwd: string
  /** How long to wait for Redis to answer before giving up; the server waits as long. */
  redisWaitMs?: number
}

/** The configuration, read and checked as the server reads it; ConfigError names what is wrong. */
export function cliConfig (env: Env): Config {
  return loadConfig(env).config
}

/**
 * Opens the account the CLI acts for, exactly as the server builds it (buildAccount): the same
 * store keys under its AppID, so with REDIS_URL the CLI uses the token the servers cached, and
 * a token it fetches is the one they use next.
 */
export async function openAccount (env: Env, options: OpenOptions): Promise<CliAccount> {
  const config = cliConfig(env)
  const settings = chooseAccount(configuredAccounts(config, env), options.accountId)
  // The classic API hands out a new token on every fetch, ending the servers' five minutes later.
  if (config.redisUrl === undefined && config.tokenApi === 'classic') {
    throw new ConfigError('WECHAT_TOKEN_API=classic without REDIS_URL: a token fetched here would replace the servers\' own; set REDIS_URL to share theirs, or use the stable token API')
  }
  const store = await openStore(config, options.redisWaitMs ?? 2000)
  const account = buildAccount(settings, {
    config,
    store,
    dedupStore: store,
    apiBase: config.apiBase,
    tokenApi: config.tokenApi,
    apiEvents: () => ({}),
    // The CLI answers no pushes; `bot()` builds the real one when a command asks for it.
    bot: () => async () => undefined
  })
  return {
    settings,
    config,
    api: account.api,
    async bot () {
      const factory = botFactoryOf(await loadUserBot(env.WEMP_BOT, options.cwd), settings.id)
      try {
        return factory({ account: settings, config, store: createMemoryStore(), wechatApi: account.api })
      } catch (error) {
        // The server would not start with it either.
        throw new ConfigError(`the bot of ${settings.id} cannot be built: ${error instanceof Error ? error.message : String(error)}`)
      }
    },
    close: async () => { await store.close() }
  }
}

function chooseAccount (accounts: AccountSettings[], id: string | undefined): AccountSettings {
  const ids = accounts.map((account) => account.id).join(', ')
  if (id === undefined) {
    if (accounts.length === 1) return accounts[0] as AccountSettings
    throw new UsageError(`the configuration has several accounts (${ids}): choose one with --account`)
  }
  const found = accounts.find((account) => account.id === id)
  if (found === undefined) throw new UsageError(`no account ${id} in the configuration (the accounts: ${ids})`)
  return found
}

/** As app.ts does: WEMP_BOT's builder for this account, else the default bot. */
function botFactoryOf (loaded: BotFactory | Record<string, BotFactory> | undefined, id: string): BotFactory {
  const own = typeof loaded === 'function' ? loaded : loaded?.[id]
  return own ?? createDefaultBot
}

async function openStore (config: Config, waitMs: number): Promise<Store> {
  if (config.redisUrl === undefined) return createMemoryStore()
  const redis = createRedisStore({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix })
  // Commands fail fast until the first connect completes: give it the moment the server gives it.
  const deadline = Date.now() + waitMs
  while (!(await redis.ping())) {
    if (Date.now() >= deadline) {
      await redis.close()
      throw new UnavailableError(`REDIS_URL does not answer within ${waitMs} ms: the CLI shares the servers' access_token through it and fetches none of its own`)
    }
    await sleep(50)
  }
  return redis
}
