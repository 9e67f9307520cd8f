import { test } from 'tap'
import type { Store } from '../../../src/store/store.js'
import { createWeatherSkill, FORECAST_CACHE_TTL_MS } from '../../../src/weather/weather-skill.js'
import type { WeatherCache, WeatherSkillOptions } from '../../../src/weather/weather-skill.js'
import { dailyBody, json, refusedBaseUrl, sixteenDays, startFakeOpenMeteo } from './fake-open-meteo.js'

// Wednesday 2026-11-25, 10:00 in Shanghai; the fake forecast starts that day.
const NOW = new Date('2026-11-25T10:00:00+08:00')

async function setup (t: { teardown(fn: () => unknown): void }, options: Partial<WeatherSkillOptions> = {}) {
  const fake = await startFakeOpenMeteo()
  t.teardown(() => fake.close())
  const errors: Array<[unknown, string]> = []
  const skill = createWeatherSkill({
    baseUrl: fake.baseUrl,
    now: () => NOW,
    onError: (error, stage) => { errors.push([error, stage]) },
    ...options
  })
  return { fake, skill, errors }
}

test('answers a city and day from the provider, with the query Open-Meteo expects', async (t) => {
  const { fake, skill } = await setup(t)
  t.equal(await skill.answer({ text: '北京明天天气怎么样' }),
    '北京 明天（11月26日，周四）：多云，最高 8°C，最低 -1°C，降水概率 20%。')
  t.same(fake.requests.map((request) => request.query), [{
    latitude: '39.9',
    longitude: '116.41',
    daily: 'weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max',
    timezone: 'Asia/Shanghai',
    forecast_days: '16'
  }])
  t.equal(await skill.answer({ text: '后天上海会下雨吗' }),
    '会下雨，出门记得带伞。上海 后天（11月27日，周五）：小雨，最高 12°C，最低 2°C，降水概率 85%。')
  t.match(fake.requests[1]?.query, { latitude: '31.23', longitude: '121.47' })
})

test('not a weather request: null, and no provider call', async (t) => {
  const { fake, skill } = await setup(t)
  t.equal(await skill.answer({ text: '北京' }), null)
  t.equal(await skill.answer({ text: '你好' }), null)
  t.equal(fake.requests.length, 0)
})

test('an unknown place is said honestly, even when the user location is known', async (t) => {
  const { fake, skill } = await setup(t)
  t.match(await skill.answer({ text: '纽约天气', knownLocation: { latitude: 39.9, longitude: 116.4 } }), /不认识“纽约”/)
  t.equal(fake.requests.length, 0)
})

test('no place in the text: the known location, else ask which city', async (t) => {
  const { fake, skill } = await setup(t)
  t.equal(await skill.answer({ text: '天气' }), '哪个城市？发城市名（比如“上海明天天气”），或者发送你的位置就行。')
  t.equal(fake.requests.length, 0)

  t.match(await skill.answer({ text: '明天冷吗', knownLocation: { latitude: 31.3, longitude: 120.6, label: '苏州工业园区' } }),
    /^很冷，注意保暖。苏州工业园区 明天（11月26日，周四）：/)
  t.match(fake.requests[0]?.query, { latitude: '31.3', longitude: '120.6' }, 'the forecast is for the point itself')

  t.match(await skill.answer({ text: '天气', knownLocation: { latitude: 39.95, longitude: 116.3 } }), /^北京 今天/, 'no label: nearest city')
  t.match(await skill.answer({ text: '天气', knownLocation: { latitude: 22.55, longitude: 114.1, label: '广东省深圳市南山区科技园南区深南大道' } }),
    /^深圳 今天/, 'a street address is too long to show')
  t.match(await skill.answer({ text: '天气', knownLocation: { latitude: 10, longitude: 100, label: '  ' } }),
    /^你所在的位置 今天/, 'far from any known city')
})

test('a cached forecast serves every day of a place without a second provider call', async (t) => {
  const values = new Map<string, string>()
  const writes: Array<[string, number]> = []
  const cache: WeatherCache = {
    get: async (key) => values.get(key) ?? null,
    set: async (key, value, ttlMs) => { writes.push([key, ttlMs]); values.set(key, value) }
  }
  const { fake, skill } = await setup(t, { cache })
  const first = await skill.answer({ text: '北京明天天气' })
  t.equal(await skill.answer({ text: '北京明天天气' }), first)
  t.match(await skill.answer({ text: '北京市后天下雨吗' }), /北京 后天/)
  t.equal(fake.requests.length, 1, 'one call for the place')
  t.same(writes, [['weather:forecast:39.90,116.41:2026-11-25', FORECAST_CACHE_TTL_MS]])
  t.equal(FORECAST_CACHE_TTL_MS, 600_000)
  await skill.answer({ text: '上海明天天气' })
  t.equal(fake.requests.length, 2, 'another place is another call')
})

// Compile-time only: the project's Store can be handed to the skill as its cache.
export const storeIsACache = (store: Store): WeatherCache => store

test('a broken cache never breaks the answer', async (t) => {
  const unreadable: WeatherCache = { get: async () => 'not json', set: async () => {} }
  const notAList: WeatherCache = { get: async () => '{"a":1}', set: async () => {} }
  const down: WeatherCache = {
    get: async () => { throw new Error('cache down') },
    set: async () => { throw new Error('cache down') }
  }
  for (const cache of [unreadable, notAList, down]) {
    const { fake, skill, errors } = await setup(t, { cache })
    t.match(await skill.answer({ text: '北京明天天气' }), /^北京 明天/)
    t.equal(fake.requests.length, 1)
    t.same(errors.map(([, stage]) => stage), cache === down ? ['cache', 'cache'] : [])
  }
})

test('provider down or too slow: a short apology, and the error is reported', async (t) => {
  const skill = createWeatherSkill({ baseUrl: await refusedBaseUrl(), now: () => NOW })
  t.equal(await skill.answer({ text: '北京天气' }), '抱歉，天气服务暂时连不上，请稍后再试。')

  const { fake, errors } = await setup(t)
  fake.respondWith(() => { /* never answers */ })
  const slow = createWeatherSkill({ baseUrl: fake.baseUrl, timeoutMs: 100, now: () => NOW, onError: (error, stage) => { errors.push([error, stage]) } })
  t.equal(await slow.answer({ text: '北京天气' }), '抱歉，天气服务暂时连不上，请稍后再试。')
  t.match(errors, [[{ reason: 'timeout' }, 'provider']])
})

test('forecastAt: the days at a point, cached with the answers; null when the provider fails', async (t) => {
  const values = new Map<string, string>()
  const cache: WeatherCache = { get: async (key) => values.get(key) ?? null, set: async (key, value) => { values.set(key, value) } }
  const { fake, skill, errors } = await setup(t, { cache })
  const days = await skill.forecastAt({ latitude: 30.572815, longitude: 104.066801 })
  t.equal(days?.length, 16)
  t.match(days?.[0], { date: '2026-11-25' }, 'today first')
  t.match(fake.requests[0]?.query, { latitude: '30.572815', longitude: '104.066801' }, 'for the point itself')
  t.same(await skill.forecastAt({ latitude: 30.57, longitude: 104.07 }), days, 'the same 0.01° cell: from the cache')
  t.equal(fake.requests.length, 1)
  await skill.forecastAt({ latitude: 39.9, longitude: 116.41 })
  t.match(await skill.answer({ text: '北京明天天气' }), /^北京 明天/)
  t.equal(fake.requests.length, 2, 'an answer for 北京 reuses the forecast fetched at its seat')

  fake.respondWith((_request, response) => { response.statusCode = 503; response.end() })
  t.equal(await skill.forecastAt({ latitude: 23.13, longitude: 113.26 }), null)
  t.match(errors, [[{ reason: 'http', status: 503 }, 'provider']])
})

test('past days and days beyond the forecast range need no provider call', async (t) => {
  const { fake, skill } = await setup(t)
  t.equal(await skill.answer({ text: '昨天北京天气' }), '昨天已经过去了，我只能查今天和之后的天气预报。')
  t.equal(await skill.answer({ text: '12月20日北京天气' }), '北京12月20日的天气还查不到：预报只能查到未来 16 天（含今天）。')
  t.equal(fake.requests.length, 0)
  fake.respondWith(json(dailyBody(sixteenDays(3))))
  t.equal(await skill.answer({ text: '北京大后天天气' }), '北京大后天的天气还查不到：预报只能查到未来 3 天（含今天）。')
  t.equal(fake.requests.length, 1)
})

test('without an injected clock the skill uses the real time', async (t) => {
  const fake = await startFakeOpenMeteo()
  t.teardown(() => fake.close())
  const skill = createWeatherSkill({ baseUrl: fake.baseUrl })
  t.match(await skill.answer({ text: '北京今天天气' }), /^北京 今天（11月25日，周三）/, 'the fake serves fixed dates')
})
