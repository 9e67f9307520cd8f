import type { Bot } from '../bot/bot.js'
import type { Config } from '../config.js'
import { envelopeSecrets, type EnvelopeSecrets } from '../protocol/envelope.js'
import { prefixedStore } from '../store/prefixed-store.js'
import type { Store } from '../store/store.js'
import type { TokenApi } from '../wechat-api/access-token.js'
import { createWeChatApi, type WeChatApi, type WeChatApiEvents } from '../wechat-api/wechat-api.js'
import type { AccountSettings } from './account-settings.js'

/**
 * One Official Account at run time: its settings and everything built for it. It is passed
 * explicitly to every step that serves the account, so nothing can fall back to another one.
 */
export interface Account {
  readonly id: string
  readonly settings: AccountSettings
  readonly secrets: EnvelopeSecrets
  /** The app store as this account sees it: every key under its AppID. */
  readonly store: Store
  /** Dedup state (claims, kept replies, seen signatures), under its AppID too. */
  readonly dedupStore: Store
  readonly api: WeChatApi
  readonly bot: Bot
}

/** What a bot is built from: its account and the account's services. */
export interface BotServices {
  account: AccountSettings
  /** Server-wide settings (weather provider, deadlines, public URL). */
  config: Config
  store: Store
  wechatApi: WeChatApi
}

export type BotFactory = (services: BotServices) => Bot

export interface AccountDeps {
  config: Config
  /** The shared stores, unprefixed. */
  store: Store
  dedupStore: Store
  apiBase: string
  tokenApi?: TokenApi
  apiEvents: (accountId: string) => WeChatApiEvents
  bot: BotFactory
}

export function buildAccount (settings: AccountSettings, deps: AccountDeps): Account {
  const prefix = `${settings.appId}:`
  const store = prefixedStore(deps.store, prefix)
  const api = createWeChatApi({
    appId: settings.appId,
    appSecret: settings.appSecret,
    apiBase: deps.apiBase,
    store,
    ...(deps.tokenApi !== undefined && { tokenApi: deps.tokenApi }),
    events: deps.apiEvents(settings.id)
  })
  const aesKeys = settings.messageMode === 'plain' ? [] : [settings.encodingAesKey, settings.previousEncodingAesKey]
  return {
    id: settings.id,
    settings,
    secrets: envelopeSecrets(settings.token, settings.appId, aesKeys),
    store,
    dedupStore: prefixedStore(deps.dedupStore, prefix),
    api,
    bot: deps.bot({ account: settings, config: deps.config, store, wechatApi: api })
  }
}
