import { test } from 'tap'
import { findDayPhrases, parseDay, shanghaiDate } from '../../../src/weather/day-parse.js'

// Wednesday 2026-11-25, 10:00 in Shanghai.
const WEDNESDAY = new Date('2026-11-25T10:00:00+08:00')

function day (text: string, now = WEDNESDAY): [number, string, number] {
  const { offset, label, days } = parseDay(text, now)
  return [offset, label, days]
}

test('relative day words', async (t) => {
  t.same(day('天气'), [0, '今天', 1], 'none means today')
  t.same(day('今天'), [0, '今天', 1])
  t.same(day('今晚冷吗'), [0, '今天', 1])
  t.same(day('现在几度'), [0, '今天', 1])
  t.same(day('明天'), [1, '明天', 1])
  t.same(day('明日'), [1, '明天', 1])
  t.same(day('明早'), [1, '明天', 1])
  t.same(day('后天'), [2, '后天', 1])
  t.same(day('大后天'), [3, '大后天', 1], 'not 后天 inside it')
  t.same(day('昨天'), [-1, '昨天', 1])
  t.same(day('前天'), [-2, '前天', 1])
  t.same(day('大前天'), [-3, '大前天', 1])
  t.same(day('明天还是后天'), [1, '明天', 1], 'the first day word counts')
})

test('weekdays: the next one, today included; 这/下/上 weeks run Monday to Sunday', async (t) => {
  t.same(day('周三'), [0, '周三', 1], 'said on a Wednesday: today')
  t.same(day('周四'), [1, '周四', 1])
  t.same(day('周五'), [2, '周五', 1])
  t.same(day('星期五'), [2, '周五', 1])
  t.same(day('礼拜五'), [2, '周五', 1])
  t.same(day('週五'), [2, '周五', 1])
  t.same(day('星期天'), [4, '周日', 1])
  t.same(day('周日'), [4, '周日', 1])
  t.same(day('周一'), [5, '周一', 1], 'next Monday')
  t.same(day('周二'), [6, '周二', 1], 'yesterday was Tuesday: the next one')
  t.same(day('这周五'), [2, '这周五', 1])
  t.same(day('本周一'), [-2, '这周一', 1], 'already past this week')
  t.same(day('这个星期天'), [4, '这周日', 1])
  t.same(day('下周五'), [9, '下周五', 1])
  t.same(day('下个礼拜一'), [5, '下周一', 1])
  t.same(day('下下周一'), [12, '下下周一', 1])
  t.same(day('上周五'), [-5, '上周五', 1])
})

test('weekends are Saturday and Sunday; on a Sunday just today', async (t) => {
  t.same(day('周末'), [3, '这周末', 2])
  t.same(day('这周末'), [3, '这周末', 2])
  t.same(day('本周末'), [3, '这周末', 2])
  t.same(day('下周末'), [10, '下周末', 2])
  t.same(day('上周末'), [-4, '上周末', 2])
  t.same(day('周末', new Date('2026-11-28T09:00:00+08:00')), [0, '这周末', 2], 'on Saturday')
  t.same(day('周末', new Date('2026-11-29T09:00:00+08:00')), [0, '这周末', 1], 'on Sunday')
  t.same(day('下周末', new Date('2026-11-29T09:00:00+08:00')), [6, '下周末', 2], 'next weekend from a Sunday')
})

test('dates', async (t) => {
  t.same(day('12月3日'), [8, '12月3日', 1])
  t.same(day('12月3号'), [8, '12月3日', 1])
  t.same(day('11月20日'), [-5, '11月20日', 1], 'recent past stays past')
  t.same(day('1月5日'), [41, '1月5日', 1], 'far past means next year')
  t.same(day('3号'), [8, '12月3日', 1], 'already past this month: next month')
  t.same(day('28号'), [3, '11月28日', 1])
  t.same(day('25日'), [0, '11月25日', 1])
  t.same(day('31号'), [36, '12月31日', 1], 'November has no 31st')
  t.same(day('13月5日'), [0, '今天', 1], 'no such month')
  t.same(day('2月30日'), [0, '今天', 1], 'no such day')
  t.same(day('2月29日', new Date('2028-09-01T09:00:00+08:00')), [0, '今天', 1], 'next year has no Feb 29')
  t.same(day('30号', new Date('2027-01-31T09:00:00+08:00')), [0, '今天', 1], 'February has no 30th')
  t.same(day('2号', new Date('2026-12-31T09:00:00+08:00')), [2, '1月2日', 1], 'into next year')
})

test('today is the Shanghai date, whatever the instant and the machine zone', async (t) => {
  const lateUtc = new Date('2026-11-25T20:00:00Z') // already 04:00 on the 26th in Shanghai
  t.equal(shanghaiDate(lateUtc), '2026-11-26')
  t.equal(shanghaiDate(lateUtc, 1), '2026-11-27')
  t.equal(shanghaiDate(new Date('2026-11-25T15:59:59Z')), '2026-11-25')
  t.equal(shanghaiDate(new Date('2026-11-25T16:00:00Z')), '2026-11-26')
  t.same(day('周四', lateUtc), [0, '周四', 1], 'it is Thursday in Shanghai')
})

test('findDayPhrases reports every day word and where it stands', async (t) => {
  t.match(findDayPhrases('昆明天气', WEDNESDAY), [{ index: 1, length: 2, offset: 1 }], 'a city name can hold a day word')
  t.match(findDayPhrases('大后天', WEDNESDAY), [{ index: 0, length: 3 }, { index: 1, length: 2 }], 'earliest first, overlaps kept')
})
