import { WEEKDAY_NAMES } from './day-parse.js'
import type { DailyForecast } from './open-meteo-client.js'
import { isRainCode, isSnowCode, weatherWords } from './wmo-codes.js'

export type WeatherQuestion = 'rain' | 'snow' | 'cold' | 'hot' | 'general'

export interface Place {
  /** As the answer names it: 北京, 库尔勒, or a location's label. */
  name: string
  latitude: number
  longitude: number
}

export interface WeatherAnswerInput {
  place: Place
  /** Days from today; forecast[0] is today. */
  dayOffset: number
  dayLabel: string
  /** 2 for a weekend; default 1. */
  days?: number
  question?: WeatherQuestion
  forecast: readonly DailyForecast[]
}

/** [how strongly it applies, the words]: over a weekend the stronger day is the one told. */
type Verdict = readonly [number, string]

// Thresholds are a friendly reading of the numbers, not meteorology: ≥50% with a rain code is
// "will", a rain code or ≥40% alone is "may".
function rainVerdict (day: DailyForecast): Verdict {
  const chance = day.precipitationProbabilityMax
  if (isRainCode(day.weatherCode)) {
    return chance === null || chance >= 50 ? [3, '会下雨，出门记得带伞。'] : [2, '可能会下雨，带把伞更稳妥。']
  }
  if (isSnowCode(day.weatherCode)) return [2, '预报是下雪，不是下雨，注意保暖。']
  return chance !== null && chance >= 40 ? [1, '可能会下雨，带把伞更稳妥。'] : [0, '不太会下雨。']
}

function snowVerdict (day: DailyForecast): Verdict {
  const chance = day.precipitationProbabilityMax
  if (isSnowCode(day.weatherCode)) return chance === null || chance >= 50 ? [3, '会下雪，注意保暖、出行小心。'] : [2, '可能会下雪。']
  return isRainCode(day.weatherCode) ? [1, '预报是下雨，不是下雪。'] : [0, '不太会下雪。']
}

function coldVerdict (day: DailyForecast): Verdict {
  if (day.tMin <= 0 || day.tMax <= 5) return [3, '很冷，注意保暖。']
  if (day.tMin <= 10) return [2, '有点冷，早晚记得添衣。']
  return day.tMax <= 20 ? [1, '不算冷，稍有凉意。'] : [0, '不冷。']
}

function hotVerdict (day: DailyForecast): Verdict {
  if (day.tMax >= 35) return [3, '很热，注意防暑。']
  if (day.tMax >= 30) return [2, '挺热的，注意防晒、多喝水。']
  return day.tMax >= 25 ? [1, '有点热，还算舒服。'] : [0, '不热。']
}

const VERDICTS: Record<Exclude<WeatherQuestion, 'general'>, (day: DailyForecast) => Verdict> = {
  rain: rainVerdict, snow: snowVerdict, cold: coldVerdict, hot: hotVerdict
}

function calendar (date: string): { monthDay: string, weekday: string } {
  const day = new Date(`${date}T00:00:00Z`)
  return {
    monthDay: `${day.getUTCMonth() + 1}月${day.getUTCDate()}日`,
    weekday: WEEKDAY_NAMES[(day.getUTCDay() + 6) % 7] as string
  }
}

/** 明天（11月26日，周四）; 周五（11月27日）; 12月3日（周四): never the weekday twice. */
function dayHeading (label: string, date: string): string {
  const { monthDay, weekday } = calendar(date)
  if (label.includes('周')) return `${label}（${monthDay}）`
  if (label === monthDay) return `${monthDay}（${weekday}）`
  return `${label}（${monthDay}，${weekday}）`
}

function conditions (day: DailyForecast): string {
  const chance = day.precipitationProbabilityMax
  const rain = chance === null ? '' : `，降水概率 ${Math.round(chance)}%`
  return `${weatherWords(day.weatherCode)}，最高 ${Math.round(day.tMax)}°C，最低 ${Math.round(day.tMin)}°C${rain}`
}

export function pastDayText (dayLabel: string): string {
  return `${dayLabel}已经过去了，我只能查今天和之后的天气预报。`
}

export function beyondRangeText (place: Place, dayLabel: string, availableDays: number): string {
  return `${place.name}${dayLabel}的天气还查不到：预报只能查到未来 ${availableDays} 天（含今天）。`
}

/** One short friendly text: the verdict on the question asked, then the place, day and numbers. */
export function answerWeather (input: WeatherAnswerInput): string {
  const { place, dayOffset, dayLabel, forecast } = input
  if (dayOffset < 0) return pastDayText(dayLabel)
  if (forecast.length === 0) return `暂时没有${place.name}的天气预报，请稍后再试。`
  const wanted = forecast.slice(dayOffset, dayOffset + (input.days ?? 1))
  const first = wanted[0]
  if (first === undefined) return beyondRangeText(place, dayLabel, forecast.length)

  const body = wanted.length === 1
    ? `${place.name} ${dayHeading(dayLabel, first.date)}：${conditions(first)}。`
    : `${place.name} ${dayLabel}：${wanted.map((day) => {
      const { monthDay, weekday } = calendar(day.date)
      return `${weekday}（${monthDay}）${conditions(day)}`
    }).join('；')}。`

  const question = input.question ?? 'general'
  if (question === 'general') return body
  const judged = wanted.map((day) => ({ day, verdict: VERDICTS[question](day) }))
  const strongest = judged.reduce((best, next) => next.verdict[0] > best.verdict[0] ? next : best)
  // Over a weekend name the day the verdict is about, or say it holds for both.
  const who = wanted.length === 1 ? '' : strongest.verdict[0] === 0 ? '两天都' : calendar(strongest.day.date).weekday
  return `${who}${strongest.verdict[1]}${body}`
}

export function apologyText (): string {
  return '抱歉，天气服务暂时连不上，请稍后再试。'
}

export function unknownCityText (name?: string): string {
  const what = name === undefined ? '这个城市' : `“${name}”`
  return `抱歉，我还不认识${what}。可以发一个中国的城市名，比如“北京天气”，或者发送你的位置。`
}

export function askCityText (): string {
  return '哪个城市？发城市名（比如“上海明天天气”），或者发送你的位置就行。'
}
