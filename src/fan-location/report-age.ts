import { shanghaiDate } from '../weather/day-parse.js'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS

/** Shanghai calendar days from `earlier` to `later`: 1 for yesterday, whatever the hours. */
function calendarDaysBetween (earlier: Date, later: Date): number {
  return (Date.parse(shanghaiDate(later)) - Date.parse(shanghaiDate(earlier))) / DAY_MS
}

/**
 * How long ago a location was reported, as a Chinese page says it: 刚刚, 2 分钟前, 3 小时前 (the
 * same day in Asia/Shanghai), 昨天, 3 天前 (within a week), 3月5日, 2025年3月5日. A time in the
 * future (a clock ahead of ours) reads 刚刚 rather than a negative age.
 */
export function reportAge (reportedAt: Date, now: Date): string {
  if (Number.isNaN(reportedAt.getTime()) || Number.isNaN(now.getTime())) throw new RangeError('reportAge needs valid dates')
  const elapsed = now.getTime() - reportedAt.getTime()
  if (elapsed < MINUTE_MS) return '刚刚'
  if (elapsed < HOUR_MS) return `${Math.floor(elapsed / MINUTE_MS)} 分钟前`
  const days = calendarDaysBetween(reportedAt, now)
  if (days === 0) return `${Math.floor(elapsed / HOUR_MS)} 小时前`
  if (days === 1) return '昨天'
  if (days < 7) return `${days} 天前`
  const [year, month, day] = shanghaiDate(reportedAt).split('-').map(Number) as [number, number, number]
  const monthDay = `${month}月${day}日`
  return shanghaiDate(now).startsWith(`${year}-`) ? monthDay : `${year}年${monthDay}`
}
