import type { FastifyRequest } from 'fastify'
import type { Account } from '../../src/accounts/account.js'
import { ForecastError } from '../../src/weather/open-meteo-client.js'
import { createWeatherSkill, type WeatherSkill } from '../../src/weather/weather-skill.js'

/** A page waits this long for the forecast, then says the weather is unavailable and goes on. */
export const PAGE_WEATHER_TIMEOUT_MS = 3000

/**
 * The weather skill as the weather rules build it (WEATHER_API_BASE, the account's store as its
 * cache, shared with the chat's answers), with a page's shorter patience. Only the kind of a
 * failure is logged: the provider's URL carries the fan's coordinates.
 */
export function pageWeather (request: FastifyRequest, account: Account, weatherApiBase: string): WeatherSkill {
  return createWeatherSkill({
    baseUrl: weatherApiBase,
    timeoutMs: PAGE_WEATHER_TIMEOUT_MS,
    cache: account.store,
    onError: (error, stage) => {
      const reason = error instanceof ForecastError ? error.reason : undefined
      request.log.warn({ stage, reason, errorType: (error as Error).name }, 'weather for the profile page failed; the page says it is unavailable')
    }
  })
}
