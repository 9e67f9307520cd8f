import { nearestPrefectureCity } from '../weather/nearest-city.js'
import type { WeatherSkill } from '../weather/weather-skill.js'
import type { LastLocation, LocationSource } from './last-location.js'
import { locationLine } from './location-line.js'

/** The profile page's location section as the server renders it (and as it reads without JavaScript). */
export interface LocationView {
  /** "📍 成都市 · 今天 晴 22–31°C · 2 分钟前", or that there is none yet. */
  line: string
  /** Where the line came from, or how to get one. */
  note: string
}

export const SOURCE_NOTES: Record<LocationSource, string> = {
  jssdk: '位置来自微信定位（JS-SDK）。',
  browser: '位置来自浏览器定位。',
  report: '位置来自你在公众号里上报或发送的位置。'
}

export const NO_LOCATION_VIEW: LocationView = {
  line: '📍 还没有你的位置',
  note: '在公众号里发送位置（或允许公众号获取地理位置），这里就会显示你所在的城市和天气。'
}

/** The line for a point: its nearest city and today's weather there (null weather is said so). */
export async function lineForPoint (location: Pick<LastLocation, 'latitude' | 'longitude' | 'reportedAt'>, weather: WeatherSkill, now: Date): Promise<string> {
  const point = { latitude: location.latitude, longitude: location.longitude }
  const reportedAt = location.reportedAt === undefined ? undefined : new Date(location.reportedAt)
  return locationLine({ place: nearestPrefectureCity(point.latitude, point.longitude), forecast: await weather.forecastAt(point), reportedAt, now })
}

export async function locationView (location: LastLocation | null, weather: WeatherSkill, now: Date): Promise<LocationView> {
  if (location === null) return NO_LOCATION_VIEW
  return { line: await lineForPoint(location, weather, now), note: SOURCE_NOTES[location.source] }
}
