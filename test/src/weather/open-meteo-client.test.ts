import { test } from 'tap'
import { fetchDailyForecast, ForecastError } from '../../../src/weather/open-meteo-client.js'
import type { ForecastErrorReason } from '../../../src/weather/open-meteo-client.js'
import { dailyBody, json, refusedBaseUrl, sixteenDays, startFakeOpenMeteo } from './fake-open-meteo.js'

async function failure (promise: Promise<unknown>): Promise<ForecastError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ForecastError) return error
    throw error
  }
  throw new Error('expected a ForecastError')
}

test('sends exactly the documented query and reads the daily block', async (t) => {
  const fake = await startFakeOpenMeteo(json(dailyBody(sixteenDays(3))))
  t.teardown(() => fake.close())
  const forecast = await fetchDailyForecast({ baseUrl: `${fake.baseUrl}/`, latitude: 39.9, longitude: 116.41, days: 3 })
  t.same(fake.requests, [{
    method: 'GET',
    path: '/v1/forecast',
    query: {
      latitude: '39.9',
      longitude: '116.41',
      daily: 'weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max',
      timezone: 'Asia/Shanghai',
      forecast_days: '3'
    }
  }])
  t.same(forecast, [
    { date: '2026-11-25', weatherCode: 0, tMax: 10, tMin: 0, precipitationProbabilityMax: 5 },
    { date: '2026-11-26', weatherCode: 2, tMax: 8.2, tMin: -0.6, precipitationProbabilityMax: 20 },
    { date: '2026-11-27', weatherCode: 61, tMax: 12, tMin: 2, precipitationProbabilityMax: 85 }
  ])
})

test('asks for 1 to 16 days, whole days only', async (t) => {
  const fake = await startFakeOpenMeteo()
  t.teardown(() => fake.close())
  for (const days of [40, 0, 2.5, 16]) {
    await fetchDailyForecast({ baseUrl: fake.baseUrl, latitude: 1, longitude: 2, days })
  }
  t.same(fake.requests.map((request) => request.query['forecast_days']), ['16', '1', '3', '16'])
})

test('a missing chance of rain stays null; a day without code or temperatures is dropped', async (t) => {
  const rows = sixteenDays(5)
  rows[0] = { ...rows[0]!, rain: null }
  rows[2] = { ...rows[2]!, code: null }
  rows[3] = { ...rows[3]!, max: null }
  rows[4] = { ...rows[4]!, min: null }
  const fake = await startFakeOpenMeteo(json(dailyBody(rows)))
  t.teardown(() => fake.close())
  const forecast = await fetchDailyForecast({ baseUrl: fake.baseUrl, latitude: 1, longitude: 2, days: 5 })
  t.same(forecast.map((day) => [day.date, day.precipitationProbabilityMax]), [['2026-11-25', null], ['2026-11-26', 20]])
})

test('a slow provider times out: before the headers, or in the middle of the body', async (t) => {
  const fake = await startFakeOpenMeteo(() => { /* never answers */ })
  t.teardown(() => fake.close())
  const silent = await failure(fetchDailyForecast({ baseUrl: fake.baseUrl, latitude: 1, longitude: 2, days: 1, timeoutMs: 100 }))
  t.equal(silent.reason, 'timeout')
  t.match(silent.message, /100 ms/)

  fake.respondWith((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.write('{"daily":')
  })
  const stalled = await failure(fetchDailyForecast({ baseUrl: fake.baseUrl, latitude: 1, longitude: 2, days: 1, timeoutMs: 100 }))
  t.equal(stalled.reason, 'timeout')
})

test('a provider that is down is a network error', async (t) => {
  const error = await failure(fetchDailyForecast({ baseUrl: await refusedBaseUrl(), latitude: 1, longitude: 2, days: 1 }))
  t.equal(error.reason, 'network')
  t.equal(error.name, 'ForecastError')
  t.ok(error.cause)
})

test('an HTTP error keeps its status', async (t) => {
  const fake = await startFakeOpenMeteo(json('{"error":true,"reason":"Latitude must be in range"}', 400))
  t.teardown(() => fake.close())
  const error = await failure(fetchDailyForecast({ baseUrl: fake.baseUrl, latitude: 1, longitude: 2, days: 1 }))
  t.equal(error.reason, 'http')
  t.equal(error.status, 400)
  fake.respondWith(json('busy', 503))
  t.equal((await failure(fetchDailyForecast({ baseUrl: fake.baseUrl, latitude: 1, longitude: 2, days: 1 }))).status, 503)
})

test('bad JSON and every missing or malformed field are typed errors', async (t) => {
  const fake = await startFakeOpenMeteo()
  t.teardown(() => fake.close())
  const good = JSON.parse(dailyBody(sixteenDays(2))) as { daily: Record<string, unknown> }
  const withDaily = (change: Record<string, unknown>): string => JSON.stringify({ daily: { ...good.daily, ...change } })
  const cases: Array<[string, string, ForecastErrorReason]> = [
    ['not json', '<html>', 'bad-json'],
    ['null body', 'null', 'bad-shape'],
    ['no daily', '{"hourly":{}}', 'bad-shape'],
    ['daily not an object', '{"daily":7}', 'bad-shape'],
    ['no time', withDaily({ time: undefined }), 'bad-shape'],
    ['bad date', withDaily({ time: ['2026-11-25', 'tomorrow'] }), 'bad-shape'],
    ['no weather_code', withDaily({ weather_code: undefined }), 'bad-shape'],
    ['short column', withDaily({ temperature_2m_max: [1] }), 'bad-shape'],
    ['string in column', withDaily({ temperature_2m_min: [1, '2'] }), 'bad-shape'],
    ['no precipitation', withDaily({ precipitation_probability_max: undefined }), 'bad-shape']
  ]
  for (const [name, body, reason] of cases) {
    fake.respondWith(json(body))
    const error = await failure(fetchDailyForecast({ baseUrl: fake.baseUrl, latitude: 1, longitude: 2, days: 2 }))
    t.equal(error.reason, reason, name)
  }
})
