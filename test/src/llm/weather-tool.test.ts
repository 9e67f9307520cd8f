import { test } from 'tap'
import { BAD_ARGUMENTS_TEXT, NOT_UNDERSTOOD_TEXT, WEATHER_TOOL_NAME, weatherTool } from '../../../src/llm/weather-tool.js'
import { createWeatherSkill } from '../../../src/weather/weather-skill.js'
import { startFakeOpenMeteo } from '../weather/fake-open-meteo.js'

// Wednesday 2026-11-25, 10:00 in Shanghai; the fake forecast starts that day.
const NOW = new Date('2026-11-25T10:00:00+08:00')
const TOMORROW = '明天（11月26日，周四）：多云，最高 8°C，最低 -1°C，降水概率 20%。'

async function setup (t: { teardown(fn: () => unknown): void }) {
  const fake = await startFakeOpenMeteo()
  t.teardown(() => fake.close())
  return { fake, tool: weatherTool(createWeatherSkill({ baseUrl: fake.baseUrl, now: () => NOW })) }
}

test('the declaration: get_weather(city, day), city required, nothing else accepted', async (t) => {
  const { tool } = await setup(t)
  t.equal(tool.definition.function.name, WEATHER_TOOL_NAME)
  t.equal(WEATHER_TOOL_NAME, 'get_weather')
  t.match(tool.definition.function.parameters, {
    type: 'object',
    properties: { city: { type: 'string' }, day: { type: 'string' } },
    required: ['city'],
    additionalProperties: false
  })
  t.doesNotThrow(() => JSON.stringify(tool.definition), 'plain JSON, as sent')
})

test('a city and a day word, an ISO date, or no day at all: the real forecast', async (t) => {
  const { fake, tool } = await setup(t)
  t.equal(await tool.run('{"city":"北京","day":"明天"}'), `北京 ${TOMORROW}`)
  t.equal(await tool.run('{"city":"北京","day":"2026-11-26"}'), `北京 11月26日（周四）：多云，最高 8°C，最低 -1°C，降水概率 20%。`)
  t.equal(await tool.run('{"city":" 成都 "}'), '成都 今天（11月25日，周三）：晴，最高 10°C，最低 0°C，降水概率 5%。')
  t.equal(await tool.run('{"city":"成都","day":"下周三"}'), '成都 下周三（12月2日）：晴，最高 17°C，最低 7°C，降水概率 5%。')
  t.same(fake.requests.map((r) => r.query.latitude), ['39.9', '39.9', '30.57', '30.57'])
})

test('what the skill cannot answer is said to the model in words', async (t) => {
  const { fake, tool } = await setup(t)
  t.match(await tool.run('{"city":"纽约"}'), /不认识“纽约”/)
  t.equal(await tool.run('{"city":"成都","day":"下周"}'), NOT_UNDERSTOOD_TEXT, 'a span, not a day')
  t.match(await tool.run('{"city":"成都","day":"2026-11-01"}'), /已经过去了/)
  for (const bad of ['', '{', '[]', '{"city":""}', '{"city":3}', '{"day":"明天"}', '{"city":"北京","when":"明天"}', `{"city":"${'长'.repeat(21)}"}`]) {
    t.equal(await tool.run(bad), BAD_ARGUMENTS_TEXT, bad)
  }
  t.equal(fake.requests.length, 0)
})
