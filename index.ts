/**
 * wemp as a library: the Fastify plugin and the bot API. `app.register(wemp, { accounts, bot })`
 * serves the accounts' server URLs, web pages and health routes from the user's own Fastify app.
 */
export { wemp, wemp as default, type WempOptions } from './app.js'
export type { Account, BotFactory, BotServices } from './src/accounts/account.js'
export { AccountSettingsSchema, type AccountSettings } from './src/accounts/account-settings.js'
export { createBot, type Bot, type BotHandlers, type BotLogger, type Handler, type HandlerContext } from './src/bot/bot.js'
export type { Conversation, PendingTopic } from './src/bot/conversation.js'
export { createDefaultBot } from './src/bot/default-bot.js'
export { echoBotHandlers } from './src/bot/echo-bot.js'
export {
  createRouter, nextRule, RuleRouter,
  type KeyedEvent, type MessageOf, type NextRule, type PushType, type RuleAnswer, type RuleContext, type RuleHandler
} from './src/bot/rule-router.js'
export { weatherRules } from './src/bot/weather-rules.js'
export { ConfigError, loadConfig, validateConfig, type Config } from './src/config.js'
export type { InboundPush } from './src/protocol/inbound-push.js'
export type { EventTypes, LocationMessage, MessageTypes, SubscribeEvent, TextMessage, UnknownPush } from './src/protocol/inbound-schemas.js'
export type { MessageMode } from './src/protocol/message-mode.js'
export { reply, type Article, type Reply } from './src/protocol/reply.js'
export type { Store } from './src/store/store.js'
export type { WeChatApi } from './src/wechat-api/wechat-api.js'
