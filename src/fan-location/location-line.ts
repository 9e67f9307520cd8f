import { shanghaiDate } from '../weather/day-parse.js'
import type { NearestCity } from '../weather/nearest-city.js'
import type { DailyForecast } from '../weather/open-meteo-client.js'
import { weatherWords } from '../weather/wmo-codes.js'
import { reportAge } from './report-age.js'

export interface LocationLineInput {
  place: NearestCity
  /** The weather skill's daily forecast for the point; null when the provider could not answer. */
  forecast: readonly DailyForecast[] | null
  /** When the fan's location was reported; undefined for a record that did not keep it (no age shown). */
  reportedAt: Date | undefined
  now: Date
}

/** Shown instead of a city out at sea or abroad: true, and no city that is not there. */
export const NO_CITY_TEXT = '你所在的位置（附近没有收录的城市）'
export const NO_WEATHER_TEXT = '今天的天气暂时查不到'

/** "约 8 公里", "约 63 公里", "约 570 公里": beyond 100 km, tens are all a fan can use. */
function aboutKm (km: number): string {
  return `约 ${km < 100 ? Math.max(1, Math.round(km)) : Math.round(km / 10) * 10} 公里`
}

export function placeText (place: NearestCity): string {
  switch (place.kind) {
    case 'city': return place.city.fullName
    case 'far': return `距 ${place.city.fullName} ${aboutKm(place.distanceKm)}`
    case 'nowhere': return NO_CITY_TEXT
  }
}

function temperatures (day: DailyForecast): string {
  const low = Math.round(day.tMin)
  const high = Math.round(day.tMax)
  return low === high ? `${high}°C` : `${low}–${high}°C`
}

/**
 * Today's weather in a few words. Today is picked by its Shanghai date, not by position, so a
 * forecast fetched yesterday never passes for today's.
 */
export function todayWeatherText (forecast: readonly DailyForecast[] | null, now: Date): string {
  const today = shanghaiDate(now)
  const day = forecast?.find((entry) => entry.date === today)
  return day === undefined ? NO_WEATHER_TEXT : `今天 ${weatherWords(day.weatherCode)} ${temperatures(day)}`
}

/** The profile page's line: "📍 成都市 · 今天 晴 22–31°C · 2 分钟前". Plain text, for textContent. */
export function locationLine (input: LocationLineInput): string {
  const line = `📍 ${placeText(input.place)} · ${todayWeatherText(input.forecast, input.now)}`
  return input.reportedAt === undefined ? line : `${line} · ${reportAge(input.reportedAt, input.now)}`
}
