/**
 * Which day a Chinese request is about, as an offset from today in Asia/Shanghai. "Today" comes
 * from an injected instant, never the machine's zone: China keeps UTC+8 all year (no DST), so the
 * Shanghai calendar date is the UTC date of now + 8 h.
 *
 * Decisions:
 * - 周五 / 星期五 / 礼拜五 is the next Friday, today included (said on a Friday it means today;
 *   said on a Saturday it means six days on, since the past one cannot be forecast anyway).
 * - 这周五 / 本周五 is this Monday-to-Sunday week's Friday, even when already past (the answer then
 *   says it cannot look back); 下周五 is next week's, 上周五 last week's.
 * - 周末 / 这周末 is this week's Saturday and Sunday (two days); said on a Sunday, just today.
 *   下周末 is next week's pair.
 * - 3号 is the next 3rd of a month (this month unless already past); 12月3日 is this year's, or next
 *   year's when it is more than half a year gone. Dates that do not exist (2月30日) are ignored.
 * - With several day words the first one in the text counts; none means today.
 */

export interface DayRef {
  /** Days from today in Asia/Shanghai; negative for the past. */
  offset: number
  /** How the day is named in the answer: 今天, 明天, 周五, 下周五, 这周末, 12月3日. */
  label: string
  /** 2 for a weekend (Saturday and Sunday), else 1. */
  days: 1 | 2
}

/** A day word found in a text, and where: callers that also look for place names need the span. */
export interface DayPhrase extends DayRef {
  index: number
  length: number
}

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000
const DAY_MS = 24 * 3600 * 1000

/** Midnight UTC of the Shanghai calendar date of `now`: safe to read with getUTC*(). */
export function shanghaiMidnight (now: Date): Date {
  const shifted = new Date(now.getTime() + SHANGHAI_OFFSET_MS)
  return new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()))
}

/** The Shanghai calendar date `offset` days from `now`, as YYYY-MM-DD. */
export function shanghaiDate (now: Date, offset = 0): string {
  return new Date(shanghaiMidnight(now).getTime() + offset * DAY_MS).toISOString().slice(0, 10)
}

const WEEKDAY_INDEX: Record<string, number> = { 一: 0, 二: 1, 三: 2, 四: 3, 五: 4, 六: 5, 日: 6, 天: 6 }
export const WEEKDAY_NAMES = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const

type Rule = (match: RegExpExecArray, today: Date) => DayRef | null

/** Monday = 0 … Sunday = 6. */
function mondayIndex (day: Date): number {
  return (day.getUTCDay() + 6) % 7
}

function weekPrefix (prefix: string | undefined): { label: string, weeks: number | null } {
  if (prefix === undefined) return { label: '', weeks: null }
  if (prefix.startsWith('下下')) return { label: '下下周', weeks: 2 }
  if (prefix.startsWith('下')) return { label: '下周', weeks: 1 }
  if (prefix.startsWith('上')) return { label: '上周', weeks: -1 }
  return { label: '这周', weeks: 0 }
}

function fixed (offset: number, label: string): Rule {
  return () => ({ offset, label, days: 1 })
}

/** Days from today to a calendar date (monthIndex 0-based, may run into next year), or null when
 * that month has no such day. */
function dateOffset (today: Date, year: number, monthIndex: number, day: number): number | null {
  const date = new Date(Date.UTC(year, monthIndex, day))
  if (date.getUTCDate() !== day) return null
  return Math.round((date.getTime() - today.getTime()) / DAY_MS)
}

const RULES: ReadonlyArray<readonly [RegExp, Rule]> = [
  [/大后天|大後天/g, fixed(3, '大后天')],
  [/后天|後天/g, fixed(2, '后天')],
  [/明天|明日|明儿|明早|明晚|明晨/g, fixed(1, '明天')],
  [/今天|今日|今儿|今早|今晚|今晨|今夜|现在|此刻|当前/g, fixed(0, '今天')],
  [/大前天/g, fixed(-3, '大前天')],
  [/前天/g, fixed(-2, '前天')],
  [/昨天|昨日|昨晚|昨儿/g, fixed(-1, '昨天')],
  [/(下下个?|下个?|上个?|这个?|本)?(?:周|星期|礼拜|週)末/g, (match, today) => {
    const { label, weeks } = weekPrefix(match[1])
    const mi = mondayIndex(today)
    if (weeks === null || weeks === 0) {
      return mi === 6 ? { offset: 0, label: '这周末', days: 1 } : { offset: 5 - mi, label: '这周末', days: 2 }
    }
    return { offset: weeks * 7 + 5 - mi, label: `${label}末`, days: 2 }
  }],
  [/(下下个?|下个?|上个?|这个?|本)?(?:周|星期|礼拜|週)([一二三四五六日天])/g, (match, today) => {
    const { label, weeks } = weekPrefix(match[1])
    const target = WEEKDAY_INDEX[match[2] as string] as number
    const mi = mondayIndex(today)
    const offset = weeks === null ? (target - mi + 7) % 7 : weeks * 7 + target - mi
    return { offset, label: `${label === '' ? '周' : label}${(WEEKDAY_NAMES[target] as string).slice(1)}`, days: 1 }
  }],
  [/(\d{1,2})月(\d{1,2})[日号號]/g, (match, today) => {
    const month = Number(match[1])
    const day = Number(match[2])
    const year = today.getUTCFullYear()
    const thisYear = month >= 1 && month <= 12 ? dateOffset(today, year, month - 1, day) : null
    if (thisYear === null) return null
    // 2月29日 said in a leap year's late summer is next year's, which may not exist: then none.
    const offset = thisYear < -182 ? dateOffset(today, year + 1, month - 1, day) : thisYear
    if (offset === null) return null
    return { offset, label: `${month}月${day}日`, days: 1 }
  }],
  [/(?<![\d月])(\d{1,2})[日号號]/g, (match, today) => {
    const day = Number(match[1])
    const year = today.getUTCFullYear()
    const month = today.getUTCMonth()
    const inMonth = day >= today.getUTCDate() ? dateOffset(today, year, month, day) : null
    const offset = inMonth ?? dateOffset(today, year, month + 1, day)
    if (offset === null) return null
    const date = new Date(today.getTime() + offset * DAY_MS)
    return { offset, label: `${date.getUTCMonth() + 1}月${day}日`, days: 1 }
  }]
]

/**
 * Every day word in a text, earliest first. Overlaps are kept (大后天 holds 后天; 昆明天气 holds
 * 明天, and only a caller that knows place names can tell it is not one).
 */
export function findDayPhrases (text: string, now: Date): DayPhrase[] {
  const today = shanghaiMidnight(now)
  const found: DayPhrase[] = []
  for (const [pattern, rule] of RULES) {
    for (const match of text.matchAll(pattern)) {
      const day = rule(match, today)
      if (day !== null) found.push({ index: match.index, length: match[0].length, ...day })
    }
  }
  // Stable sort: no two rules match at one spot (大后天 starts before the 后天 inside it).
  return found.sort((a, b) => a.index - b.index)
}

export const TODAY: DayRef = { offset: 0, label: '今天', days: 1 }

/** The day a text asks about (its first day word); today when it names none. */
export function parseDay (text: string, now: Date): DayRef {
  const first = findDayPhrases(text, now)[0]
  return first === undefined ? TODAY : { offset: first.offset, label: first.label, days: first.days }
}
