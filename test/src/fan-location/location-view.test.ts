import { test } from 'tap'
import { lineForPoint, locationView, NO_LOCATION_VIEW, SOURCE_NOTES } from '../../../src/fan-location/location-view.js'
import { createWeatherSkill } from '../../../src/weather/weather-skill.js'
import { refusedBaseUrl, startFakeOpenMeteo } from '../weather/fake-open-meteo.js'

// Wednesday 2026-11-25, 10:00 in Shanghai; the fake forecast starts that day (晴, 0–10°C).
const NOW = new Date('2026-11-25T10:00:00+08:00')

test('the page\'s view of a last location: the line with city, weather and age, and where it came from', async (t) => {
  const fake = await startFakeOpenMeteo()
  t.teardown(() => fake.close())
  const weather = createWeatherSkill({ baseUrl: fake.baseUrl, now: () => NOW })
  const reportedAt = NOW.getTime() - 3 * 60_000
  t.same(await locationView({ latitude: 23.137466, longitude: 113.352425, source: 'report', reportedAt }, weather, NOW),
    { line: '📍 广州市 · 今天 晴 0–10°C · 3 分钟前', note: '位置来自你在公众号里上报或发送的位置。' })
  t.same(await locationView({ latitude: 30.572815, longitude: 104.066801, source: 'browser' }, weather, NOW),
    { line: '📍 成都市 · 今天 晴 0–10°C', note: SOURCE_NOTES.browser })
  t.equal(SOURCE_NOTES.jssdk, '位置来自微信定位（JS-SDK）。')
  t.same(await locationView(null, weather, NOW), NO_LOCATION_VIEW, 'none yet: how to get one')
  t.same(fake.requests.map((r) => [r.query.latitude, r.query.longitude]), [['23.137466', '113.352425'], ['30.572815', '104.066801']], 'the weather at the point itself')
})

test('the provider down: the city still, and that the weather is unavailable', async (t) => {
  const weather = createWeatherSkill({ baseUrl: await refusedBaseUrl(), now: () => NOW })
  t.equal(await lineForPoint({ latitude: 39.908823, longitude: 116.39747, reportedAt: NOW.getTime() }, weather, NOW), '📍 北京市 · 今天的天气暂时查不到 · 刚刚')
})
