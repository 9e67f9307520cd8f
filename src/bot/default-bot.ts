import type { LlmSettings } from '../llm/llm-settings.js'
import type { Store } from '../store/store.js'
import type { Bot } from './bot.js'
import { echoBotHandlers } from './echo-bot.js'
import { llmRules, type OverflowHook } from './llm-rules.js'
import { createRouter } from './rule-router.js'
import { weatherRules } from './weather-rules.js'

/** The part of an account's services (BotServices) the default bot uses. */
export interface DefaultBotServices {
  account: { welcomeText: string, llm?: LlmSettings | undefined }
  config: { weatherApiBase: string }
  store: Store
}

/**
 * The rest of a long answer goes out as customer-service messages after the reply where the
 * account may send them; elsewhere llmRules holds it for "继续".
 */
export const overflowAfterReply: OverflowHook = (overflow, context) => {
  if (context.sendAfterReply === undefined) return false
  context.sendAfterReply(overflow.parts)
  return true
}

/**
 * What the account answers out of the box: weather questions and locations get a forecast; with
 * a model (the account's `llm`), every other text goes to the model; everything else gets the
 * echo bot's answer (welcome text, menu and scan replies unchanged).
 */
export function createDefaultBot ({ account, config, store }: DefaultBotServices): Bot {
  const router = createRouter({ store }).use(weatherRules({ baseUrl: config.weatherApiBase }))
  if (account.llm !== undefined) router.use(llmRules({ settings: account.llm, weatherBaseUrl: config.weatherApiBase, onOverflow: overflowAfterReply }))
  return router.fallback(echoBotHandlers({ welcomeText: account.welcomeText })).bot()
}
