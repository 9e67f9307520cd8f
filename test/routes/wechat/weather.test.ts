// The default bot end to end: signed pushes in, passive replies (or `success` and a late
// customer-service message) out; Open-Meteo and the WeChat API are real HTTP fakes.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { test, type Test } from 'tap'
import type { Config } from '../../../src/config.js'
import { parseWeChatXml } from '../../../src/protocol/xml-codec.js'
import { startPlatformApi, type RunningPlatformApi } from '../../../sandbox/platform/platform-api.js'
import { PUSHES, textPush } from '../../fixtures/pushes.js'
import { build } from '../../helpers/build.js'
import { testConfig } from '../../helpers/config.js'
import { signedUrl } from '../../helpers/wechat-request.js'
import { dailyBody, json, refusedBaseUrl, sixteenDays, startFakeOpenMeteo, type FakeOpenMeteo } from '../../src/weather/fake-open-meteo.js'
import { until } from '../../helpers/until.js'

const TOKEN = 'testtoken123'
const FAN = 'oFan00000000000000000000001'
const ASK_CITY = '哪个城市？发城市名（比如“上海明天天气”），或者发送你的位置就行。'
const APOLOGY = '抱歉，天气服务暂时连不上，请稍后再试。'
const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

/** The Shanghai calendar day `offset` days from now, computed here rather than by the code under test. */
function shanghaiDay (offset: number): { iso: string, heading: string } {
  const day = new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000)
  return {
    iso: day.toISOString().slice(0, 10),
    heading: `${day.getUTCMonth() + 1}月${day.getUTCDate()}日，${WEEKDAYS[day.getUTCDay()]}`
  }
}

const today = () => `今天（${shanghaiDay(0).heading}）：晴，最高 10°C，最低 0°C，降水概率 5%。`
const tomorrow = () => `明天（${shanghaiDay(1).heading}）：多云，最高 8°C，最低 -1°C，降水概率 20%。`

/** The fake forecast's sixteen days, dated from today in Shanghai. */
const forecastBody = (): string => dailyBody(sixteenDays().map((row, i) => ({ ...row, date: shanghaiDay(i).iso })))

function delayed (ms: number): (request: IncomingMessage, response: ServerResponse) => void {
  const body = forecastBody()
  return (request, response) => { setTimeout(() => json(body)(request, response), ms) }
}

async function openMeteo (t: Test, responder = json(forecastBody())): Promise<FakeOpenMeteo> {
  const fake = await startFakeOpenMeteo(responder)
  t.teardown(() => fake.close())
  return fake
}

async function platformWithFan (t: Test): Promise<RunningPlatformApi> {
  const config = testConfig()
  const platform = await startPlatformApi({ appId: config.appId, appSecret: config.appSecret })
  t.teardown(() => platform.close())
  platform.state.addFan({ openid: FAN, nickname: '测试粉丝' })
  return platform
}

async function app (t: Test, config: Partial<Config>, logLines?: string[]): Promise<FastifyInstance> {
  return await build(t, { config, ...(logLines !== undefined && { logLines }) })
}

let msgCounter = 6054768590064713000n
const nextMsgId = (): string => String(++msgCounter)

function deliver (server: FastifyInstance, payload: string): Promise<LightMyRequestResponse> {
  return server.inject({ method: 'POST', url: signedUrl({ token: TOKEN }), headers: { 'content-type': 'text/xml' }, payload })
}

/** What the fan sees from the passive reply: the text, or `success`. */
async function ask (server: FastifyInstance, payload: string): Promise<string> {
  const res = await deliver(server, payload)
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body}`)
  if (res.body === 'success') return 'success'
  const parsed = parseWeChatXml(res.body)
  if (!parsed.ok) throw new Error(`not a reply: ${res.body.slice(0, 80)}`)
  return String(parsed.fields.Content)
}

const say = (server: FastifyInstance, content: string): Promise<string> => ask(server, textPush({ content, msgId: nextMsgId() }))

test('weather questions are answered with the forecast; one provider call per city and day; the rest is echoed', async (t) => {
  const fake = await openMeteo(t)
  const server = await app(t, { weatherApiBase: fake.baseUrl })
  t.equal(await say(server, '今天北京天气'), `北京 ${today()}`)
  t.equal(await say(server, '明天上海会下雨吗'), `不太会下雨。上海 ${tomorrow()}`)
  t.equal(await say(server, '广州冷吗'), `很冷，注意保暖。广州 ${today()}`)
  t.match(await say(server, '纽约天气'), /^抱歉，我还不认识“纽约”/)
  t.equal(fake.requests.length, 3)

  t.equal(await say(server, '北京今天天气怎么样'), `北京 ${today()}`)
  t.equal(await say(server, '后天北京下雨吗'), `会下雨，出门记得带伞。北京 后天（${shanghaiDay(2).heading}）：小雨，最高 12°C，最低 2°C，降水概率 85%。`)
  t.equal(fake.requests.length, 3, 'the cached forecast: no second call for 北京 today')

  for (const content of ['北京', '你好 <b>&amp;</b> 😀', '  two\nlines  ']) t.equal(await say(server, content), content, `echoed: ${JSON.stringify(content)}`)
  t.equal(await ask(server, PUSHES.subscribe), '欢迎关注测试号', 'the welcome is unchanged')
  t.equal(fake.requests.length, 3)
})

test('a location message gets its forecast and is remembered; the LOCATION event is remembered silently', async (t) => {
  const fake = await openMeteo(t)
  const server = await app(t, { weatherApiBase: fake.baseUrl })
  t.equal(await ask(server, PUSHES.location), `位置信息 ${today()}`)
  t.match(fake.requests[0]?.query, { latitude: '23.134521', longitude: '113.358803' })
  t.equal(await say(server, '明天会下雨吗'), `不太会下雨。位置信息 ${tomorrow()}`)

  const other = await app(t, { weatherApiBase: fake.baseUrl })
  t.equal(await ask(other, PUSHES.LOCATION), 'success')
  t.equal(await say(other, '天气'), `广州 ${today()}`, 'the nearest city to the event\'s point')
  t.match(fake.requests.at(-1)?.query, { latitude: '23.137466', longitude: '113.352425' })
})

test('"天气" → "哪个城市？" → "深圳" → the forecast', async (t) => {
  const fake = await openMeteo(t)
  const server = await app(t, { weatherApiBase: fake.baseUrl })
  t.equal(await say(server, '天气'), ASK_CITY)
  t.equal(await say(server, '深圳'), `深圳 ${today()}`)
  t.equal(await say(server, '深圳'), '深圳', 'the question was answered; a city alone is echoed again')
  t.equal(await say(server, '明天天气'), ASK_CITY)
  t.equal(await say(server, '深圳'), `深圳 ${tomorrow()}`, 'for the day asked')
})

test('the provider down: an apology, and a warning without content', async (t) => {
  const logLines: string[] = []
  const server = await app(t, { weatherApiBase: await refusedBaseUrl() }, logLines)
  t.equal(await say(server, '今天北京天气'), APOLOGY)
  const warnings = logLines.filter((line) => line.includes('weather skill failed'))
  t.equal(warnings.length, 1)
  t.match(JSON.parse(warnings[0] ?? '{}'), { level: 40, stage: 'provider', reason: 'network' })
  t.notMatch(warnings[0], /北京|oFan/)
})

test('the provider slow (6 s) with the real 4500 ms deadline: success in time, then one customer-service message', async (t) => {
  const fake = await openMeteo(t, delayed(6000))
  const platform = await platformWithFan(t)
  const server = await app(t, { weatherApiBase: fake.baseUrl, apiBase: platform.url, replyDeadlineMs: 4500 })
  const push = textPush({ content: '今天北京天气', msgId: nextMsgId() })

  const started = Date.now()
  const first = deliver(server, push)
  await sleep(1000)
  // WeChat's retries of the same message while the first delivery waits for the forecast.
  const retries = [deliver(server, push), sleep(2000).then(async () => await deliver(server, push))]
  const answered = await first
  t.ok(Date.now() - started < 5000, 'answered within WeChat\'s five seconds')
  t.equal(answered.statusCode, 200)
  t.equal(answered.body, 'success')
  for (const retry of await Promise.all(retries)) t.same([retry.statusCode, retry.body], [200, 'success'], 'a retry gets the same answer')
  t.same(platform.state.messages, [], 'nothing sent before the forecast arrives')

  const message = await until('the customer-service message', () => platform.state.messages[0])
  t.match(message, { touser: FAN, msgtype: 'text', content: `北京 ${today()}` })
  t.same((await deliver(server, push)).body, 'success', 'a later retry starts nothing either')
  await sleep(300)
  t.equal(platform.state.messages.length, 1, 'exactly one message')
  t.equal(fake.requests.length, 1, 'one provider call for the message and all its retries')
})

test('45015 on the late send: logged once, not retried', async (t) => {
  const fake = await openMeteo(t, delayed(1500))
  const platform = await platformWithFan(t)
  platform.state.setOutsideWindow(FAN, true)
  const logLines: string[] = []
  const server = await app(t, { weatherApiBase: fake.baseUrl, apiBase: platform.url, replyDeadlineMs: 500 }, logLines)
  t.equal(await say(server, '明天上海会下雨吗'), 'success')
  const failed = (): string[] => logLines.filter((line) => line.includes('late reply could not be delivered'))
  await until('the failure log', () => failed()[0])
  await sleep(1500) // past the first retry's backoff (1 s), had it retried
  t.equal(failed().length, 1, 'logged once')
  t.match(JSON.parse(failed()[0] ?? '{}'), { level: 40, code: 45015, permanent: true, attempt: 1 })
  t.equal(platform.state.callCount('/cgi-bin/message/custom/send'), 1, 'not retried')
  t.same(platform.state.messages, [])
})
