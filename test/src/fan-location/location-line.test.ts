import { test } from 'tap'
import { locationLine, NO_CITY_TEXT, NO_WEATHER_TEXT, placeText, todayWeatherText } from '../../../src/fan-location/location-line.js'
import { CITIES } from '../../../src/weather/cities.js'
import { cityByName } from '../../../src/weather/city-lookup.js'
import { nearestPrefectureCity } from '../../../src/weather/nearest-city.js'
import type { NearestCity } from '../../../src/weather/nearest-city.js'
import type { DailyForecast } from '../../../src/weather/open-meteo-client.js'

// 2026-11-25 14:30 in Shanghai.
const NOW = new Date('2026-11-25T06:30:00Z')
const CHENGDU = cityByName('成都')?.city
if (CHENGDU === undefined) throw new Error('成都 is in the table')

function day (date: string, weatherCode: number, tMin: number, tMax: number): DailyForecast {
  return { date, weatherCode, tMin, tMax, precipitationProbabilityMax: 10 }
}

test('the issue’s example line', async (t) => {
  const line = locationLine({
    place: nearestPrefectureCity(30.6, 104.1),
    forecast: [day('2026-11-25', 0, 21.6, 30.7), day('2026-11-26', 61, 18, 25)],
    reportedAt: new Date(NOW.getTime() - 2 * 60_000 - 5000),
    now: NOW
  })
  t.equal(line, '📍 成都市 · 今天 晴 22–31°C · 2 分钟前')
})

test('a record that kept no time: no age rather than a made-up one', async (t) => {
  const line = locationLine({ place: nearestPrefectureCity(30.6, 104.1), forecast: [day('2026-11-25', 0, 21.6, 30.7)], reportedAt: undefined, now: NOW })
  t.equal(line, '📍 成都市 · 今天 晴 22–31°C')
})

test('the place: the official name, the distance when far, no city out at sea', async (t) => {
  t.equal(placeText({ kind: 'city', city: CHENGDU, distanceKm: 3.2 }), '成都市')
  t.equal(placeText({ kind: 'far', city: CHENGDU, distanceKm: 63.4 }), '距 成都市 约 63 公里')
  t.equal(placeText({ kind: 'far', city: CHENGDU, distanceKm: 99.4 }), '距 成都市 约 99 公里')
  t.equal(placeText({ kind: 'far', city: CHENGDU, distanceKm: 572.4 }), '距 成都市 约 570 公里', 'tens beyond 100 km')
  t.equal(placeText({ kind: 'far', city: CHENGDU, distanceKm: 0.2 }), '距 成都市 约 1 公里', 'never "约 0 公里"')
  t.equal(placeText({ kind: 'nowhere', distanceKm: 1186 }), NO_CITY_TEXT)
  t.notOk(CITIES.some((entry) => NO_CITY_TEXT.includes(entry.name)), 'names no city')
  const yanbian = nearestPrefectureCity(42.9, 129.5)
  t.equal(placeText(yanbian), '延边朝鲜族自治州')
  const atSea: NearestCity = nearestPrefectureCity(30, 130)
  t.equal(placeText(atSea), NO_CITY_TEXT)
})

test('today’s weather: WMO words, rounded temperatures, picked by the Shanghai date', async (t) => {
  t.equal(todayWeatherText([day('2026-11-25', 63, 18.4, 24.6)], NOW), '今天 中雨 18–25°C')
  t.equal(todayWeatherText([day('2026-11-25', 71, -3.4, 1.2)], NOW), '今天 小雪 -3–1°C')
  t.equal(todayWeatherText([day('2026-11-25', 3, 9.6, 10.4)], NOW), '今天 阴 10°C', 'one temperature when both round alike')
  t.equal(todayWeatherText([day('2026-11-25', 42, 10, 12)], NOW), '今天 未知天气 10–12°C', 'a code the table lacks')
  t.equal(todayWeatherText([day('2026-11-24', 0, 10, 20), day('2026-11-25', 2, 11, 19)], NOW), '今天 多云 11–19°C',
    'yesterday’s cached forecast: today is its second day')
  t.equal(todayWeatherText([day('2026-11-24', 0, 10, 20)], NOW), NO_WEATHER_TEXT, 'only yesterday’s')
  t.equal(todayWeatherText([], NOW), NO_WEATHER_TEXT)
  t.equal(todayWeatherText(null, NOW), NO_WEATHER_TEXT, 'the provider failed')
  // 23:30 UTC on the 24th is already the 25th in Shanghai.
  t.equal(todayWeatherText([day('2026-11-25', 0, 1, 2)], new Date('2026-11-24T23:30:00Z')), '今天 晴 1–2°C')
})

test('far, at sea, no weather, long ago', async (t) => {
  t.equal(locationLine({ place: { kind: 'far', city: CHENGDU, distanceKm: 80 }, forecast: null, reportedAt: new Date('2026-11-24T10:00:00Z'), now: NOW }),
    `📍 距 成都市 约 80 公里 · ${NO_WEATHER_TEXT} · 昨天`)
  t.equal(locationLine({ place: nearestPrefectureCity(35.68, 139.69), forecast: [day('2026-11-25', 95, 12, 16)], reportedAt: NOW, now: NOW }),
    `📍 ${NO_CITY_TEXT} · 今天 雷阵雨 12–16°C · 刚刚`)
})
