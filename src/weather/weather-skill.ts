import { nearestCity } from './city-lookup.js'
import { shanghaiDate } from './day-parse.js'
import { answerWeather, apologyText, askCityText, beyondRangeText, pastDayText, unknownCityText } from './forecast-answer.js'
import type { Place } from './forecast-answer.js'
import { fetchDailyForecast, OPEN_METEO_MAX_DAYS } from './open-meteo-client.js'
import type { DailyForecast } from './open-meteo-client.js'
import { parseWeatherRequest } from './weather-request.js'

/** The part of the project's Store the skill needs. */
export interface WeatherCache {
  get(key: string): Promise<string | null>
  set(key: string, value: string, ttlMs: number): Promise<void>
}

/** Where the user is, from a location message or the LOCATION event. */
export interface KnownLocation {
  latitude: number
  longitude: number
  /** WeChat's address label, when the message had one. */
  label?: string
}

export interface WeatherSkillOptions {
  /** WEATHER_API_BASE, e.g. https://api.open-meteo.com */
  baseUrl: string
  /** The provider call's own limit; default 8000. */
  timeoutMs?: number
  now?: () => Date
  cache?: WeatherCache
  /** Told about every provider or cache failure the user only sees as an apology (or not at all). */
  onError?: (error: unknown, stage: 'provider' | 'cache') => void
}

export interface WeatherSkill {
  /** null: not a weather request, let another skill answer. */
  answer(input: { text: string, knownLocation?: KnownLocation }): Promise<string | null>
  /**
   * The daily forecast at a point, today first, from the same cache as the answers; null when
   * the provider could not answer (reported to onError), so a page shows "no weather" and goes on.
   */
  forecastAt(point: { latitude: number, longitude: number }): Promise<DailyForecast[] | null>
}

export const FORECAST_CACHE_TTL_MS = 10 * 60 * 1000

/** A location label longer than this is a street address: name the nearest city instead. */
const MAX_LABEL_LENGTH = 16
/** Beyond this the nearest city would mislead (abroad, at sea): just say "your location". */
const NEAREST_CITY_MAX_KM = 100

function placeOfLocation (location: KnownLocation): Place {
  const { latitude, longitude } = location
  const label = location.label?.trim() ?? ''
  if (label.length > 0 && label.length <= MAX_LABEL_LENGTH) return { name: label, latitude, longitude }
  const nearest = nearestCity(latitude, longitude)
  const name = nearest.distanceKm <= NEAREST_CITY_MAX_KM ? nearest.city.name : '你所在的位置'
  return { name, latitude, longitude }
}

function parseCached (value: string | null): DailyForecast[] | null {
  if (value === null) return null
  try {
    const days: unknown = JSON.parse(value)
    return Array.isArray(days) ? (days as DailyForecast[]) : null
  } catch {
    return null
  }
}

/**
 * The weather skill, framework-free: parse, pick the place, fetch (or reuse) the forecast, answer.
 * One provider call fetches all 16 days for a place, cached per place and Shanghai date for ten
 * minutes, so 今天, 明天 and 周末 for one city cost one call.
 */
export function createWeatherSkill (options: WeatherSkillOptions): WeatherSkill {
  const now = options.now ?? (() => new Date())
  const report = options.onError ?? (() => {})

  async function forecastFor (place: Pick<Place, 'latitude' | 'longitude'>, today: string): Promise<DailyForecast[]> {
    const key = `weather:forecast:${place.latitude.toFixed(2)},${place.longitude.toFixed(2)}:${today}`
    const cache = options.cache
    if (cache !== undefined) {
      try {
        const cached = parseCached(await cache.get(key))
        if (cached !== null) return cached
      } catch (error) {
        report(error, 'cache')
      }
    }
    const days = await fetchDailyForecast({
      baseUrl: options.baseUrl,
      latitude: place.latitude,
      longitude: place.longitude,
      days: OPEN_METEO_MAX_DAYS,
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs })
    })
    if (cache !== undefined) {
      try {
        await cache.set(key, JSON.stringify(days), FORECAST_CACHE_TTL_MS)
      } catch (error) {
        report(error, 'cache')
      }
    }
    return days
  }

  return {
    async forecastAt (point) {
      try {
        return await forecastFor(point, shanghaiDate(now()))
      } catch (error) {
        report(error, 'provider')
        return null
      }
    },
    async answer ({ text, knownLocation }) {
      const at = now()
      const request = parseWeatherRequest(text, at)
      if (request === null) return null
      if (request.unknownPlace !== undefined) return unknownCityText(request.unknownPlace)
      let place: Place
      if (request.city !== undefined) {
        place = { name: request.city.name, latitude: request.city.latitude, longitude: request.city.longitude }
      } else if (knownLocation !== undefined) {
        place = placeOfLocation(knownLocation)
      } else {
        return askCityText()
      }
      if (request.dayOffset < 0) return pastDayText(request.dayLabel)
      if (request.dayOffset >= OPEN_METEO_MAX_DAYS) return beyondRangeText(place, request.dayLabel, OPEN_METEO_MAX_DAYS)
      let forecast: DailyForecast[]
      try {
        forecast = await forecastFor(place, shanghaiDate(at))
      } catch (error) {
        report(error, 'provider')
        return apologyText()
      }
      return answerWeather({
        place,
        dayOffset: request.dayOffset,
        dayLabel: request.dayLabel,
        days: request.days,
        question: request.question,
        forecast
      })
    }
  }
}
