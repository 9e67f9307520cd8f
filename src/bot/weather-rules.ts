import { LOCATION_TTL_MS, locationKey, serializeLastLocation } from '../fan-location/last-location.js'
import { reply } from '../protocol/reply.js'
import { findCity } from '../weather/city-lookup.js'
import { askCityText } from '../weather/forecast-answer.js'
import { ForecastError } from '../weather/open-meteo-client.js'
import { createWeatherSkill, type KnownLocation, type WeatherSkill } from '../weather/weather-skill.js'
import { nextRule, type RuleAnswer, type RuleContext, type RuleRouter } from './rule-router.js'

export interface WeatherRulesOptions {
  /** WEATHER_API_BASE. */
  baseUrl: string
  /** The provider call's own limit (default 8 s: past the reply deadline, so a slow answer is sent late, not lost). */
  timeoutMs?: number
  now?: () => Date
  /** How long a fan's location is remembered; default one day. */
  locationTtlMs?: number
}

/** The conversation topic of "哪个城市？". */
export const WEATHER_CITY_TOPIC = 'weather-city'
export const DEFAULT_LOCATION_TTL_MS = LOCATION_TTL_MS
/** A reply to "哪个城市？" longer than this is a new message, not a city name. */
const MAX_CITY_REPLY_LENGTH = 12
/** What a location alone asks, when no question is pending. */
const TODAY_QUESTION = '今天天气'

/** The fan's last location is one record, shared with the profile page (src/fan-location). */
export { locationKey }

/**
 * The skill for one push, the store as its forecast cache. Failures are logged by kind only: a
 * message or URL could carry a fan's coordinates.
 */
export function skillFor (options: WeatherRulesOptions, context: RuleContext): WeatherSkill {
  return createWeatherSkill({
    baseUrl: options.baseUrl,
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.now !== undefined && { now: options.now }),
    cache: context.store,
    onError: (error, stage) => {
      const reason = error instanceof ForecastError ? error.reason : undefined
      context.log.warn({ stage, reason, errorType: (error as Error).name }, 'weather skill failed; the fan gets an apology or an uncached answer')
    }
  })
}

async function recall (context: RuleContext): Promise<KnownLocation | undefined> {
  try {
    const value = await context.store.get(locationKey(context.openid))
    return value === null ? undefined : JSON.parse(value) as KnownLocation
  } catch (error) {
    context.log.warn({ errorType: (error as Error).name }, 'could not read the fan\'s location')
    return undefined
  }
}

/** Kept as the account's location report, with its time, so the profile page can say both. */
async function remember (options: WeatherRulesOptions, context: RuleContext, location: KnownLocation): Promise<void> {
  const record = serializeLastLocation({ ...location, source: 'report', reportedAt: (options.now?.() ?? new Date()).getTime() })
  try {
    await context.store.set(locationKey(context.openid), record, options.locationTtlMs ?? DEFAULT_LOCATION_TTL_MS)
  } catch (error) {
    context.log.warn({ errorType: (error as Error).name }, 'could not remember the fan\'s location')
  }
}

/** The question that "哪个城市？" is waiting on, taken (so it is answered once), or today's weather. */
async function pendingQuestion (context: RuleContext): Promise<string> {
  const pending = await context.conversation.pending()
  if (pending?.name !== WEATHER_CITY_TOPIC) return TODAY_QUESTION
  await context.conversation.end()
  const question = (pending.data as { question?: unknown } | undefined)?.question
  return typeof question === 'string' ? question : TODAY_QUESTION
}

const textReply = (text: string | null): RuleAnswer => text === null ? nextRule : reply.text(text)

async function forecastForLocation (options: WeatherRulesOptions, context: RuleContext, location: KnownLocation): Promise<RuleAnswer> {
  await remember(options, context, location)
  return textReply(await skillFor(options, context).answer({ text: await pendingQuestion(context), knownLocation: location }))
}

/** The fan's answer to "哪个城市？": a weather question of its own, or a place for the question asked. */
async function answerCity (options: WeatherRulesOptions, text: string, question: unknown, context: RuleContext): Promise<RuleAnswer> {
  const skill = skillFor(options, context)
  const own = await skill.answer({ text })
  if (own !== null && own !== askCityText()) return reply.text(own)
  const city = text.length <= MAX_CITY_REPLY_LENGTH ? findCity(text) : null
  if (city === null || typeof question !== 'string') return nextRule
  return textReply(await skill.answer({ text: `${city.matched}${question}` }))
}

/**
 * The weather skill as rules: weather texts get a forecast; with no place named, the remembered
 * location or "哪个城市？" and the next text names it; a location message is remembered and
 * answered with its forecast; the LOCATION event is only remembered. Other texts pass on.
 */
export function weatherRules (options: WeatherRulesOptions): (router: RuleRouter) => void {
  return (router) => {
    router
      .topic(WEATHER_CITY_TOPIC, async (message, context) =>
        await answerCity(options, message.Content.trim(), (context.topic.data as { question?: unknown } | undefined)?.question, context))
      .on('text', async (message, context) => {
        const skill = skillFor(options, context)
        const answer = await skill.answer({ text: message.Content })
        if (answer !== askCityText()) return textReply(answer)
        // No place named: the remembered location, read only now that it is needed.
        const location = await recall(context)
        if (location !== undefined) return textReply(await skill.answer({ text: message.Content, knownLocation: location }))
        await context.conversation.ask(WEATHER_CITY_TOPIC, { question: message.Content })
        return reply.text(answer)
      })
      .on('location', async (message, context) => await forecastForLocation(options, context, {
        latitude: Number(message.Location_X), longitude: Number(message.Location_Y), label: message.Label
      }))
      .on('LOCATION', async (event, context) => {
        await remember(options, context, { latitude: Number(event.Latitude), longitude: Number(event.Longitude) })
        return undefined
      })
  }
}
