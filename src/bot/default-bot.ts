import type { Store } from '../store/store.js'
import type { Bot } from './bot.js'
import { echoBotHandlers } from './echo-bot.js'
import { createRouter } from './rule-router.js'
import { weatherRules } from './weather-rules.js'

/** The part of an account's services (BotServices) the default bot uses. */
export interface DefaultBotServices {
  account: { welcomeText: string }
  config: { weatherApiBase: string }
  store: Store
}

/**
 * What the account answers out of the box: weather questions and locations get a forecast,
 * everything else the echo bot's answer (welcome text, menu and scan replies unchanged).
 */
export function createDefaultBot ({ account, config, store }: DefaultBotServices): Bot {
  return createRouter({ store })
    .use(weatherRules({ baseUrl: config.weatherApiBase }))
    .fallback(echoBotHandlers({ welcomeText: account.welcomeText }))
    .bot()
}
