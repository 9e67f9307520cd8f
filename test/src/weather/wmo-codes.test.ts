import { test } from 'tap'
import { isRainCode, isSnowCode, UNKNOWN_WEATHER, weatherWords } from '../../../src/weather/wmo-codes.js'

test('every WMO code Open-Meteo reports has Chinese words', async (t) => {
  const expected: Record<number, string> = {
    0: '晴', 1: '晴间多云', 2: '多云', 3: '阴', 45: '雾', 48: '雾', 51: '毛毛雨', 53: '毛毛雨', 55: '毛毛雨',
    56: '冻毛毛雨', 57: '冻毛毛雨', 61: '小雨', 63: '中雨', 65: '大雨', 66: '冻雨', 67: '冻雨', 71: '小雪',
    73: '中雪', 75: '大雪', 77: '米雪', 80: '小阵雨', 81: '阵雨', 82: '强阵雨', 85: '阵雪', 86: '强阵雪',
    95: '雷阵雨', 96: '雷阵雨伴有冰雹', 99: '雷阵雨伴有冰雹'
  }
  for (const [code, words] of Object.entries(expected)) t.equal(weatherWords(Number(code)), words, code)
})

test('an unknown code is said to be unknown', async (t) => {
  t.equal(UNKNOWN_WEATHER, '未知天气')
  for (const code of [4, 50, 100, -1, 2.5]) t.equal(weatherWords(code), '未知天气', String(code))
})

test('rain and snow groups', async (t) => {
  for (const code of [51, 55, 56, 61, 65, 67, 80, 82, 95, 96, 99]) t.ok(isRainCode(code), `${code} is rain`)
  for (const code of [0, 3, 45, 71, 77, 85, 86, 100]) t.notOk(isRainCode(code), `${code} is not rain`)
  for (const code of [71, 73, 75, 77, 85, 86]) t.ok(isSnowCode(code), `${code} is snow`)
  for (const code of [0, 61, 80, 95, 84]) t.notOk(isSnowCode(code), `${code} is not snow`)
})
