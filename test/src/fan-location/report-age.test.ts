import { test } from 'tap'
import { reportAge } from '../../../src/fan-location/report-age.js'

// 2026-11-25 14:30 in Shanghai (UTC+8).
const NOW = new Date('2026-11-25T06:30:00Z')
const ago = (ms: number): Date => new Date(NOW.getTime() - ms)
const MINUTE = 60_000
const HOUR = 60 * MINUTE

test('under a minute, or a clock ahead of ours: 刚刚', async (t) => {
  t.equal(reportAge(NOW, NOW), '刚刚')
  t.equal(reportAge(ago(59_999), NOW), '刚刚')
  t.equal(reportAge(ago(-5 * MINUTE), NOW), '刚刚', 'reported "in the future"')
})

test('minutes, then hours on the same Shanghai day', async (t) => {
  t.equal(reportAge(ago(MINUTE), NOW), '1 分钟前')
  t.equal(reportAge(ago(2 * MINUTE + 30_000), NOW), '2 分钟前')
  t.equal(reportAge(ago(59 * MINUTE + 59_000), NOW), '59 分钟前')
  t.equal(reportAge(ago(HOUR), NOW), '1 小时前')
  t.equal(reportAge(ago(14 * HOUR + 29 * MINUTE), NOW), '14 小时前', '00:01 today in Shanghai')
})

test('the Shanghai calendar decides 昨天, not 24 hours', async (t) => {
  t.equal(reportAge(ago(14 * HOUR + 31 * MINUTE), NOW), '昨天', '23:59 yesterday in Shanghai')
  t.equal(reportAge(ago(38 * HOUR), NOW), '昨天', '00:30 yesterday')
  // Just after midnight, a report from before midnight is still minutes old.
  const justAfterMidnight = new Date('2026-11-24T16:05:00Z')
  t.equal(reportAge(new Date('2026-11-24T15:50:00Z'), justAfterMidnight), '15 分钟前')
  t.equal(reportAge(new Date('2026-11-24T14:50:00Z'), justAfterMidnight), '昨天', '1 h 15 min, but yesterday')
})

test('days within a week, then the date, with the year when it is another', async (t) => {
  t.equal(reportAge(ago(2 * 24 * HOUR), NOW), '2 天前')
  t.equal(reportAge(ago(6 * 24 * HOUR), NOW), '6 天前')
  t.equal(reportAge(ago(7 * 24 * HOUR), NOW), '11月18日')
  t.equal(reportAge(new Date('2026-01-01T00:00:00+08:00'), NOW), '1月1日')
  t.equal(reportAge(new Date('2025-12-31T23:59:00+08:00'), NOW), '2025年12月31日')
  t.equal(reportAge(new Date('2025-12-31T23:59:00+08:00'), new Date('2026-01-06T12:00:00+08:00')), '6 天前', 'across New Year')
})

test('invalid dates are a RangeError, not "NaN 分钟前"', async (t) => {
  t.throws(() => reportAge(new Date('not a date'), NOW), RangeError)
  t.throws(() => reportAge(NOW, new Date(Number.NaN)), RangeError)
})
