import { test } from 'tap'
import type { Bot } from '../../../src/bot/bot.js'
import { conversationKey } from '../../../src/bot/conversation.js'
import { echoBotHandlers } from '../../../src/bot/echo-bot.js'
import { createRouter, type RuleContext } from '../../../src/bot/rule-router.js'
import { DEFAULT_LOCATION_TTL_MS, locationKey, WEATHER_CITY_TOPIC, weatherRules, type WeatherRulesOptions } from '../../../src/bot/weather-rules.js'
import type { InboundPush } from '../../../src/protocol/inbound-push.js'
import { reply } from '../../../src/protocol/reply.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { createRedisStore } from '../../../src/store/redis-store.js'
import type { Store } from '../../../src/store/store.js'
import { PUSHES } from '../../fixtures/pushes.js'
import { refusedBaseUrl, startFakeOpenMeteo, type FakeOpenMeteo } from '../weather/fake-open-meteo.js'
import { eventXml, FAN, locationXml, pushOf, recordingLogger, text } from './bot-fixtures.js'

// Wednesday 2026-11-25, 10:00 in Shanghai; the fake forecast starts that day.
const NOW = new Date('2026-11-25T10:00:00+08:00')
const ASK_CITY = '哪个城市？发城市名（比如“上海明天天气”），或者发送你的位置就行。'
const TODAY = '今天（11月25日，周三）：晴，最高 10°C，最低 0°C，降水概率 5%。'
const TOMORROW = '明天（11月26日，周四）：多云，最高 8°C，最低 -1°C，降水概率 20%。'
const APOLOGY = '抱歉，天气服务暂时连不上，请稍后再试。'

interface Setup {
  fake: FakeOpenMeteo
  store: Store
  bot: Bot
  log: ReturnType<typeof recordingLogger>
  /** The text of the bot's answer, `none` for no reply, else the reply's type. */
  say(push: InboundPush): Promise<string>
}

async function setup (t: { teardown(fn: () => unknown): void }, options: Partial<WeatherRulesOptions> & { store?: Store } = {}): Promise<Setup> {
  const fake = await startFakeOpenMeteo()
  t.teardown(() => fake.close())
  const { store = createMemoryStore(), ...ruleOptions } = options
  const bot = createRouter({ store })
    .keyword('quiz', async (_m, context) => { await context.conversation.ask('quiz'); return reply.text('quiz?') })
    .use(weatherRules({ baseUrl: fake.baseUrl, now: () => NOW, ...ruleOptions }))
    .fallback(echoBotHandlers({ welcomeText: 'welcome' }))
    .bot()
  const log = recordingLogger()
  const say = async (push: InboundPush): Promise<string> => {
    const answer = await bot(push, { log })
    if (answer === undefined) return 'none'
    return answer.type === 'text' ? answer.content : answer.type
  }
  return { fake, store, bot, log, say }
}

test('a weather text gets the forecast; anything else passes to the echo', async (t) => {
  const { fake, say } = await setup(t)
  t.equal(await say(text('今天北京天气')), `北京 ${TODAY}`)
  t.equal(await say(text('明天上海会下雨吗')), `不太会下雨。上海 ${TOMORROW}`)
  t.equal(await say(text('广州冷吗')), `很冷，注意保暖。广州 ${TODAY}`)
  t.match(await say(text('纽约天气')), /不认识“纽约”/, 'an unknown city is said honestly')
  t.equal(await say(text('北京')), '北京', 'a city alone is not a weather question')
  t.equal(await say(text('今天天气真好啊，心情不错')), '今天天气真好啊，心情不错', 'nor a remark on the weather')
  t.equal(await say(text('你好 😀')), '你好 😀')
  t.equal(await say(pushOf(PUSHES.image)), 'image', 'other messages reach the echo')
  t.same(fake.requests.map((r) => [r.query.latitude, r.query.longitude]), [['39.9', '116.41'], ['31.23', '121.47'], ['23.13', '113.26']])
})

test('no place and no known location: "哪个城市？", and the next text names the city for the day asked', async (t) => {
  const { store, say } = await setup(t)
  t.equal(await say(text('天气')), ASK_CITY)
  t.ok(await store.get(conversationKey(FAN)), 'the question waits in the store')
  t.equal(await say(text('深圳')), `深圳 ${TODAY}`)
  t.equal(await say(text('深圳')), '深圳', 'answered once')

  t.equal(await say(text('明天会下雨吗')), ASK_CITY)
  t.equal(await say(text(' 北京市 ')), `不太会下雨。北京 ${TOMORROW}`, 'the day and the question asked')

  t.equal(await say(text('天气')), ASK_CITY)
  t.equal(await say(text('上海明天天气')), `上海 ${TOMORROW}`, 'a whole weather question is answered as asked')
  t.equal(await say(text('天气')), ASK_CITY)
  t.match(await say(text('纽约天气')), /不认识“纽约”/)
  t.equal(await say(text('天气')), ASK_CITY)
  t.equal(await say(text('明天天气')), ASK_CITY, 'still no place: asked again…')
  t.equal(await say(text('北京')), `北京 ${TOMORROW}`, '…for the new question')
})

test('an answer to "哪个城市？" that names no city, or says much more, is an ordinary message', async (t) => {
  const { store, say } = await setup(t)
  await say(text('天气'))
  t.equal(await say(text('你好')), '你好')
  t.equal(await store.get(conversationKey(FAN)), null, 'the question is over')
  t.equal(await say(text('北京')), '北京')
  await say(text('天气'))
  t.equal(await say(text('我刚从北京回来，今天好累啊')), '我刚从北京回来，今天好累啊', 'a long text is not a city name')
})

test('a location message is remembered and answered with its forecast; later questions use it', async (t) => {
  let now = Date.now()
  const { fake, store, say } = await setup(t, { store: createMemoryStore({ now: () => now }) })
  t.equal(await say(pushOf(locationXml({ latitude: '31.3', longitude: '120.6', label: '工业园区' }))), `工业园区 ${TODAY}`)
  t.match(fake.requests[0]?.query, { latitude: '31.3', longitude: '120.6' }, 'for the point itself')
  t.same(JSON.parse(String(await store.get(locationKey(FAN)))), { latitude: 31.3, longitude: 120.6, label: '工业园区', source: 'report', reportedAt: NOW.getTime() },
    'kept as the account\'s location report, with its time (the profile page shows both)')
  t.equal(await say(text('明天会下雨吗')), `不太会下雨。工业园区 ${TOMORROW}`)
  t.equal(await say(text('北京天气')), `北京 ${TODAY}`, 'a named city wins over the location')
  t.equal(await say(text('天气', 'oOtherFan000000000000000001')), ASK_CITY, 'only for that fan')

  now += DEFAULT_LOCATION_TTL_MS - 1
  t.equal(await say(text('天气')), `工业园区 ${TODAY}`, 'remembered for a day')
  now += 1
  t.equal(await say(text('天气')), ASK_CITY, 'then forgotten')
})

test('a location sent to answer "哪个城市？" answers the question asked', async (t) => {
  const { store, say } = await setup(t, { locationTtlMs: 1000 })
  t.equal(await say(text('明天天气')), ASK_CITY)
  t.equal(await say(pushOf(locationXml({ latitude: '22.54', longitude: '114.06', label: '' }))), `深圳 ${TOMORROW}`, 'no label: the nearest city')
  t.equal(await store.get(conversationKey(FAN)), null)
  t.equal(await say(text('北京')), '北京', 'the question is over')

  t.equal(await say(text('quiz')), 'quiz?')
  t.equal(await say(pushOf(locationXml({ latitude: '22.54', longitude: '114.06', label: '' }))), `深圳 ${TODAY}`, 'another rule\'s question: today')
  t.match(await store.get(conversationKey(FAN)), /quiz/, 'and that question is left alone')
})

test('the LOCATION event is remembered without a reply; "天气" then uses it', async (t) => {
  const { fake, store, say } = await setup(t)
  t.equal(await say(pushOf(PUSHES.LOCATION)), 'none')
  t.equal(fake.requests.length, 0, 'no forecast fetched for an event')
  t.same(JSON.parse(String(await store.get(locationKey(FAN)))), { latitude: 23.137466, longitude: 113.352425, source: 'report', reportedAt: NOW.getTime() })
  t.equal(await say(text('天气')), `广州 ${TODAY}`)
  t.match(fake.requests[0]?.query, { latitude: '23.137466', longitude: '113.352425' })
  t.equal(await say(pushOf(eventXml('LOCATION', '<Latitude>39.95</Latitude><Longitude>116.3</Longitude><Precision>30</Precision>', FAN, '1348831999'))), 'none')
  t.equal(await say(text('明天会下雨吗')), `不太会下雨。北京 ${TOMORROW}`, 'the latest location')
})

test('the provider down or slow: an apology, logged at warn with no content', async (t) => {
  const fake = await startFakeOpenMeteo((_request, _response) => { /* never answers */ })
  t.teardown(() => fake.close())
  const log = recordingLogger()
  const slow = createRouter({ store: createMemoryStore() }).use(weatherRules({ baseUrl: fake.baseUrl, timeoutMs: 200 })).bot()
  t.same(await slow(text('北京天气'), { log }), reply.text(APOLOGY))

  const down = createRouter({ store: createMemoryStore() }).use(weatherRules({ baseUrl: await refusedBaseUrl() })).bot()
  t.same(await down(pushOf(locationXml({ latitude: '31.3', longitude: '120.6', label: '工业园区' })), { log }), reply.text(APOLOGY))
  t.same(log.calls.map((c) => [c.level, c.obj, c.msg]), [
    ['warn', { stage: 'provider', reason: 'timeout', errorType: 'ForecastError' }, 'weather skill failed; the fan gets an apology or an uncached answer'],
    ['warn', { stage: 'provider', reason: 'network', errorType: 'ForecastError' }, 'weather skill failed; the fan gets an apology or an uncached answer']
  ])
  t.notMatch(JSON.stringify(log.calls), /北京|31\.3|120\.6|工业园区|oFan/)
})

test('a failing store: forecasts still come, nothing is remembered, warnings carry no content', async (t) => {
  const store = createRedisStore({ url: (await refusedBaseUrl()).replace('http:', 'redis:'), connectTimeoutMs: 200 })
  t.teardown(() => store.close())
  const { say, log } = await setup(t, { store })
  t.equal(await say(text('北京天气')), `北京 ${TODAY}`)
  t.equal(await say(text('天气')), ASK_CITY)
  t.equal(await say(pushOf(locationXml({ latitude: '31.3', longitude: '120.6', label: '工业园区' }))), `工业园区 ${TODAY}`)
  t.same(log.calls.map((c) => [c.level, c.msg, (c.obj as { stage?: string, operation?: string }).stage ?? (c.obj as { operation?: string }).operation]), [
    ['warn', 'conversation store failed', 'take'],
    ['warn', 'weather skill failed; the fan gets an apology or an uncached answer', 'cache'],
    ['warn', 'weather skill failed; the fan gets an apology or an uncached answer', 'cache'],
    ['warn', 'conversation store failed', 'take'],
    ['warn', 'could not read the fan\'s location', undefined],
    ['warn', 'conversation store failed', 'ask'],
    ['warn', 'could not remember the fan\'s location', undefined],
    ['warn', 'conversation store failed', 'pending'],
    ['warn', 'weather skill failed; the fan gets an apology or an uncached answer', 'cache'],
    ['warn', 'weather skill failed; the fan gets an apology or an uncached answer', 'cache']
  ])
  t.notMatch(JSON.stringify(log.calls), /北京|31\.3|120\.6|工业园区|oFan/)
})

test('a remembered location that does not parse is treated as unknown', async (t) => {
  const { store, say, log } = await setup(t)
  await store.set(locationKey(FAN), '{not json', 60_000)
  t.equal(await say(text('天气')), ASK_CITY)
  t.same(log.calls.map((c) => c.msg), ['could not read the fan\'s location'])
})

test('another rule asking under the weather topic with other data does not break the weather', async (t) => {
  const fake = await startFakeOpenMeteo()
  t.teardown(() => fake.close())
  const asking = (data?: unknown) => async (_m: unknown, context: RuleContext) => {
    await context.conversation.ask(WEATHER_CITY_TOPIC, data)
    return reply.text('asked')
  }
  const bot = createRouter({ store: createMemoryStore() })
    .keyword('hi', asking({ question: 'hi' }))
    .keyword('none', asking())
    .keyword('seven', asking({ question: 7 }))
    .use(weatherRules({ baseUrl: fake.baseUrl, now: () => NOW }))
    .fallback(echoBotHandlers({ welcomeText: 'welcome' }))
    .bot()
  const log = recordingLogger()
  await bot(text('hi'), { log })
  t.same(await bot(text('北京'), { log }), reply.text('北京'), 'a question that is not about weather: the echo answers')
  await bot(text('none'), { log })
  t.same(await bot(text('北京'), { log }), reply.text('北京'), 'no question: the echo answers')
  await bot(text('hi'), { log })
  t.match(await bot(pushOf(PUSHES.location), { log }), { type: 'text', content: /^你的位置：位置信息/ }, 'a location: the echo answers')
  await bot(text('seven'), { log })
  t.same(await bot(pushOf(PUSHES.location), { log }), reply.text(`位置信息 ${TODAY}`), 'a location: today')
  t.same(log.calls, [])
})
