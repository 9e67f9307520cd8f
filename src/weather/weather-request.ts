import type { City, Province } from './cities.js'
import { bestCity, cityCandidates } from './city-lookup.js'
import type { CityCandidate } from './city-lookup.js'
import { findDayPhrases, TODAY } from './day-parse.js'
import type { DayRef } from './day-parse.js'
import type { WeatherQuestion } from './forecast-answer.js'
import { isRemark, namesVaguePeriod } from './question-cues.js'

export interface WeatherRequest {
  /** The place named in the text; absent when none (use the user's location, or ask). */
  city?: City
  /** Set when only a province was named: `city` is then its capital. */
  province?: Province
  /** A place-like word the table does not know (纽约, 海淀区): answer honestly, don't guess. */
  unknownPlace?: string
  dayOffset: number
  dayLabel: string
  /** 2 for a weekend. */
  days: 1 | 2
  question: WeatherQuestion
}

/** Longer texts are conversations, not a quick weather question. */
const MAX_TEXT_LENGTH = 60

/** Words with a weather character that are not about weather (热门, 冷静, 雪碧…). */
const NOT_WEATHER = /热门|热闹|热情|热线|热点|热搜|热水|热爱|热心|热狗|热量|热度|发热|冷静|冷门|冷笑|冷漠|冷藏|冷冻|冷饮|阴阳|阴影|阴谋|雨果|雪碧|雪糕|晴雯/g

/** Enough on their own: 天气, 下雨, 冷吗… */
const STRONG_CUE = /天[气氣]|[气氣][温溫]|[温溫]度|几度|多少度|[预預][报報]|下雨|下雪|有雨|有雪|[带帶][伞傘]|穿什么|穿啥|刮风|大风|台风|雾霾|降温|升温|湿度|紫外线|[冷热熱晴雨雪][吗嗎么不]/

/**
 * Weather words that alone are small talk (我好冷, 热死了): they count only with a place or a day
 * (北京冷, 明天热).
 */
const WEATHER_CUE = /天[气氣]|[气氣][温溫]|[温溫]度|几度|多少度|穿什么|穿啥|[带帶][伞傘]|刮风|大风|风大|台风|[预預][报報]|暖和|凉快|降温|升温|湿度|紫外线|[雨雪冷热熱晴阴陰雾霾]/

const QUESTION_CUES: ReadonlyArray<readonly [WeatherQuestion, RegExp]> = [
  ['rain', /雨|[伞傘]/],
  ['snow', /雪/],
  ['cold', /冷|冻|凉|降温|保暖|加衣/],
  ['hot', /[热熱]|晒|防暑|升温/]
]

/** Polite openings before a place name: 请问, 帮我查一下. */
const LEAD_IN = /^(?:请问|麻烦|帮我|帮忙|给我)?(?:查一下|查查|查询|查|看一下|看看|说说|问一下|问问)?/

/** A place-like word right before the weather words: 纽约天气, 东京的天气, 火星 会下雨吗. */
const PLACE_BEFORE_CUE = /^([\p{Script=Han}A-Za-z]{2,10}?)[市省]?的?\s*(?:天[气氣]|[气氣][温溫]|[温溫]度|几度|多少度|会|要|冷|热|下雨|下雪|有雨|有雪)/u

/** Words in that spot that are not places. */
const NOT_A_PLACE = /^(?:这|那|外|本地|当地|附近|家|门口|楼下|路上|公司|单位|学校|最近|未来|早上|晚上|上午|下午|中午|白天|夜里|出门|户外|室外|为什么|怎么|什么|是不是|会不会|到底|还|又|真|好|最|也|都)|[我你他她]/

interface Span { index: number, length: number }

function blank (text: string, spans: readonly Span[]): string {
  let out = text
  for (const { index, length } of spans) out = out.slice(0, index) + ' '.repeat(length) + out.slice(index + length)
  return out
}

/**
 * Day words and place names can overlap: 昆明天气 holds 明天, 今天门口 holds 天门. The longer
 * reading wins, then the one that starts first, so 昆明 beats 明天 and 今天 beats 天门.
 */
function withoutOverlaps<T extends Span> (spans: readonly T[]): T[] {
  const byStrength = [...spans].sort((a, b) => b.length - a.length || a.index - b.index)
  const kept: T[] = []
  for (const span of byStrength) {
    const clashes = kept.some((held) => span.index < held.index + held.length && held.index < span.index + span.length)
    if (!clashes) kept.push(span)
  }
  return kept.sort((a, b) => a.index - b.index)
}

function unknownPlaceIn (rest: string): string | undefined {
  const candidate = PLACE_BEFORE_CUE.exec(rest.trim().replace(LEAD_IN, ''))?.[1]
  if (candidate === undefined || NOT_A_PLACE.test(candidate) || WEATHER_CUE.test(candidate)) return undefined
  return candidate
}

/**
 * Reads a Chinese weather question: null when the text is not about weather (a bare city name
 * such as 北京 is not: the echo bot keeps it) or only remarks on it (see question-cues), else the
 * place, day and kind of question.
 * Day words and place names are told apart first (see withoutOverlaps), then the rest is read.
 */
export function parseWeatherRequest (text: string, now: Date): WeatherRequest | null {
  const trimmed = text.trim()
  // Every cue is a run of characters that blanking days and places can only remove, never create:
  // a text with no cue at all is not about weather, and most texts are answered without parsing.
  if (trimmed.length === 0 || trimmed.length > MAX_TEXT_LENGTH || !WEATHER_CUE.test(trimmed)) return null
  const tokens = withoutOverlaps<Span & { day?: DayRef }>([
    ...findDayPhrases(trimmed, now).map((phrase) => ({ index: phrase.index, length: phrase.length, day: phrase })),
    ...cityCandidates(trimmed)
  ])
  const days = tokens.filter((token) => token.day !== undefined)
  const day = days[0]?.day ?? TODAY
  const match = bestCity(tokens.filter((token): token is CityCandidate => token.day === undefined))
  const rest = blank(trimmed, match === null ? days : [...days, { index: match.index, length: match.matched.length }])
  const cues = rest.replace(NOT_WEATHER, ' ')
  if (!STRONG_CUE.test(cues) && !(WEATHER_CUE.test(cues) && (match !== null || days.length > 0))) return null
  // Every place candidate blanked, not only the one chosen: 太原 and 哈尔滨 hold remark markers.
  const words = blank(trimmed, tokens)
  if (isRemark(words) || namesVaguePeriod(words)) return null

  const question = QUESTION_CUES.find(([, cue]) => cue.test(cues))?.[0] ?? 'general'
  const request: WeatherRequest = { dayOffset: day.offset, dayLabel: day.label, days: day.days, question }
  if (match !== null) {
    request.city = match.city
    if (match.province !== undefined) request.province = match.province
    return request
  }
  const unknownPlace = unknownPlaceIn(rest)
  if (unknownPlace !== undefined) request.unknownPlace = unknownPlace
  return request
}
