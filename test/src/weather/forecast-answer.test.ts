import { test } from 'tap'
import {
  answerWeather, apologyText, askCityText, beyondRangeText, unknownCityText
} from '../../../src/weather/forecast-answer.js'
import type { WeatherAnswerInput } from '../../../src/weather/forecast-answer.js'
import type { DailyForecast } from '../../../src/weather/open-meteo-client.js'

const BEIJING = { name: '北京', latitude: 39.9, longitude: 116.41 }

function days (...overrides: Array<Partial<DailyForecast>>): DailyForecast[] {
  return overrides.map((override, i) => ({
    date: new Date(Date.UTC(2026, 10, 25 + i)).toISOString().slice(0, 10),
    weatherCode: 0,
    tMax: 15,
    tMin: 5,
    precipitationProbabilityMax: 10,
    ...override
  }))
}

function answer (input: Partial<WeatherAnswerInput> & { forecast: DailyForecast[] }): string {
  return answerWeather({ place: BEIJING, dayOffset: 0, dayLabel: '今天', ...input })
}

test('the plain answer names the place, day, date, weather, temperatures and chance of rain', async (t) => {
  const forecast = days({}, { weatherCode: 2, tMax: 8.2, tMin: -0.6, precipitationProbabilityMax: 20 })
  t.equal(answer({ dayOffset: 1, dayLabel: '明天', forecast }),
    '北京 明天（11月26日，周四）：多云，最高 8°C，最低 -1°C，降水概率 20%。')
  t.equal(answer({ forecast }), '北京 今天（11月25日，周三）：晴，最高 15°C，最低 5°C，降水概率 10%。')
})

test('the day heading never names the weekday twice', async (t) => {
  const forecast = days({}, {}, {}, {}, {}, {}, {}, {}, {})
  t.match(answer({ dayOffset: 2, dayLabel: '周五', forecast }), /^北京 周五（11月27日）：/)
  t.match(answer({ dayOffset: 8, dayLabel: '12月3日', forecast }), /^北京 12月3日（周四）：/)
  t.match(answer({ dayOffset: 8, dayLabel: '下周四', forecast }), /^北京 下周四（12月3日）：/)
})

test('missing chance of rain is left out; an unknown code is said to be unknown', async (t) => {
  t.equal(answer({ forecast: days({ precipitationProbabilityMax: null, weatherCode: 42 }) }),
    '北京 今天（11月25日，周三）：未知天气，最高 15°C，最低 5°C。')
})

test('会下雨吗: will, may or unlikely, from the code and the chance', async (t) => {
  const rain = (day: Partial<DailyForecast>): string => answer({ question: 'rain', forecast: days(day) })
  t.match(rain({ weatherCode: 61, precipitationProbabilityMax: 80 }), /^会下雨，出门记得带伞。北京 今天/)
  t.match(rain({ weatherCode: 95, precipitationProbabilityMax: null }), /^会下雨/)
  t.match(rain({ weatherCode: 80, precipitationProbabilityMax: 30 }), /^可能会下雨/)
  t.match(rain({ weatherCode: 3, precipitationProbabilityMax: 45 }), /^可能会下雨/)
  t.match(rain({ weatherCode: 0, precipitationProbabilityMax: 10 }), /^不太会下雨。北京/)
  t.match(rain({ weatherCode: 2, precipitationProbabilityMax: null }), /^不太会下雨/)
  t.match(rain({ weatherCode: 73, precipitationProbabilityMax: 90 }), /^预报是下雪，不是下雨/)
})

test('会下雪吗', async (t) => {
  const snow = (day: Partial<DailyForecast>): string => answer({ question: 'snow', forecast: days(day) })
  t.match(snow({ weatherCode: 71, precipitationProbabilityMax: 60 }), /^会下雪/)
  t.match(snow({ weatherCode: 85, precipitationProbabilityMax: null }), /^会下雪/)
  t.match(snow({ weatherCode: 71, precipitationProbabilityMax: 20 }), /^可能会下雪/)
  t.match(snow({ weatherCode: 63 }), /^预报是下雨，不是下雪/)
  t.match(snow({ weatherCode: 1 }), /^不太会下雪/)
})

test('冷吗 and 热吗 by temperature', async (t) => {
  const cold = (tMin: number, tMax: number): string => answer({ question: 'cold', forecast: days({ tMin, tMax }) })
  t.match(cold(-3, 6), /^很冷/)
  t.match(cold(1, 4), /^很冷/)
  t.match(cold(6, 15), /^有点冷/)
  t.match(cold(12, 18), /^不算冷/)
  t.match(cold(15, 25), /^不冷/)
  const hot = (tMax: number): string => answer({ question: 'hot', forecast: days({ tMax, tMin: 20 }) })
  t.match(hot(36), /^很热/)
  t.match(hot(31), /^挺热的/)
  t.match(hot(26), /^有点热/)
  t.match(hot(22), /^不热/)
  t.match(answer({ question: 'general', forecast: days({}) }), /^北京 今天/)
})

test('a weekend lists both days and tells the day the verdict is about', async (t) => {
  const forecast = days({}, {}, {}, { weatherCode: 0, precipitationProbabilityMax: 5 }, { weatherCode: 63, precipitationProbabilityMax: 70 })
  t.equal(answer({ dayOffset: 3, dayLabel: '这周末', days: 2, forecast }),
    '北京 这周末：周六（11月28日）晴，最高 15°C，最低 5°C，降水概率 5%；周日（11月29日）中雨，最高 15°C，最低 5°C，降水概率 70%。')
  t.match(answer({ dayOffset: 3, dayLabel: '这周末', days: 2, question: 'rain', forecast }), /^周日会下雨，出门记得带伞。北京 这周末：周六/)
  const dry = days({}, {}, {}, {}, {})
  t.match(answer({ dayOffset: 3, dayLabel: '这周末', days: 2, question: 'rain', forecast: dry }), /^两天都不太会下雨。/)
  t.match(answer({ dayOffset: 3, dayLabel: '这周末', days: 2, question: 'cold', forecast: days({}, {}, {}, { tMin: 12, tMax: 18 }, { tMin: -2, tMax: 3 }) }), /^周日很冷/)
  t.match(answer({ dayOffset: 3, dayLabel: '这周末', days: 2, forecast: days({}, {}, {}, {}) }), /^北京 这周末（11月28日）：晴/,
    'only Saturday is within the forecast: it alone is told')
})

test('past days, days beyond the forecast and an empty forecast are said honestly', async (t) => {
  t.equal(answer({ dayOffset: -1, dayLabel: '昨天', forecast: days({}) }), '昨天已经过去了，我只能查今天和之后的天气预报。')
  t.equal(answer({ dayOffset: 3, dayLabel: '大后天', forecast: days({}, {}) }), '北京大后天的天气还查不到：预报只能查到未来 2 天（含今天）。')
  t.equal(beyondRangeText(BEIJING, '12月20日', 16), '北京12月20日的天气还查不到：预报只能查到未来 16 天（含今天）。')
  t.equal(answer({ forecast: [] }), '暂时没有北京的天气预报，请稍后再试。')
})

test('fixed texts for the router', async (t) => {
  t.equal(apologyText(), '抱歉，天气服务暂时连不上，请稍后再试。')
  t.match(askCityText(), /^哪个城市？/)
  t.match(unknownCityText('纽约'), /^抱歉，我还不认识“纽约”。/)
  t.match(unknownCityText(), /^抱歉，我还不认识这个城市。/)
})
