import type { BotServices } from '../accounts/account.js'
import type { Bot } from './bot.js'
import { echoBotHandlers } from './echo-bot.js'
import { createRouter } from './rule-router.js'
import { weatherRules } from './weather-rules.js'

/**
 * What the account answers out of the box: weather questions and locations get a forecast,
 * everything else the echo bot's answer (welcome text, menu and scan replies unchanged).
 */
export function createDefaultBot ({ account, config, store }: Pick<BotServices, 'account' | 'config' | 'store'>): Bot {
  return createRouter({ store })
    .use(weatherRules({ baseUrl: config.weatherApiBase }))
    .fallback(echoBotHandlers({ welcomeText: account.welcomeText }))
    .bot()
}
