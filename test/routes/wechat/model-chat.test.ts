// A fan chats with the account's model through the default bot: rules first, the model for the
// rest, its memory, its failures, and the long answers each late-reply mode carries its own way.
import { test } from 'tap'
import { apologyFor } from '../../../src/llm/chat-failure.js'
import { CONTINUE_NOTICE } from '../../../src/llm/held-parts.js'
import { PASSIVE_TEXT_MAX_BYTES, utf8Bytes } from '../../../src/llm/split-text.js'
import { heldAnswersKey, MORE_HELD_NOTICE } from '../../../src/inbound/held-answers.js'
import { RETRY_WINDOW_KEY } from '../../../src/inbound/late-reply-mode.js'
import { lastMessage, type FakeModel } from '../../helpers/fake-llm.js'
import { startFakeOpenMeteo } from '../../src/weather/fake-open-meteo.js'
import { startWemp } from '../../sandbox/wemp-server.js'
import { API_KEY, answeredBy, callsFor, customTexts, errorLines, modelAccount, newFan, say, seen, SYSTEM_PROMPT, timedModel, until } from './model-account.js'

/** Three paragraphs of about 1900 bytes: three parts, cut at the paragraph ends. */
const PARAGRAPHS = ['一', '二', '三'].map((n) => `第${n}段：${'故事很长，'.repeat(126)}完。`)
const LONG = PARAGRAPHS.join('\n')
const longModel: FakeModel = (request, index) => {
  const text = String(lastMessage(request).content)
  if (text === '讲个长故事') return { text: LONG }
  if (text === '慢慢讲个长故事') return { delayMs: 1500, then: { text: LONG } }
  return timedModel(request, index)
}

test('rules first, then the model instead of the echo, with the fan\'s last turns', async (t) => {
  const meteo = await startFakeOpenMeteo()
  t.teardown(() => meteo.close())
  const { url, platform, llm } = await modelAccount(t, { config: { weatherApiBase: meteo.baseUrl } })
  const fan = newFan(platform)
  t.match(seen(await say(url, fan, '北京明天天气')), /^北京 明天/, 'the weather skill answers weather questions')
  t.equal(llm.requests.length, 0)
  t.equal(seen(await say(url, fan, '我叫小明')), '答：我叫小明')
  t.equal(seen(await say(url, fan, '我叫什么？')), '答：我叫什么？')
  const last = llm.requests.at(-1)
  t.equal(last?.headers.authorization, `Bearer ${API_KEY}`)
  t.match(last?.body.messages[0]?.content, new RegExp(`^${SYSTEM_PROMPT}`))
  t.same(last?.body.messages.slice(1).map((m) => [m.role, m.content]), [['user', '我叫小明'], ['assistant', '答：我叫小明'], ['user', '我叫什么？']])
  t.same(last?.body.tools?.map((tool) => tool.function.name), ['get_weather'])

  const echo = await startWemp(t)
  t.equal(seen(await say(echo.url, fan, '我叫小明')), '我叫小明', 'without LLM_BASE_URL nothing changes: the echo')
})

test('the model down: the fan gets the apology in time', async (t) => {
  const { url, platform } = await modelAccount(t, { llm: { baseUrl: 'http://127.0.0.1:9/v1' }, config: { replyDeadlineMs: 4500 } })
  const exchange = await say(url, newFan(platform), '你好', {})
  t.same([answeredBy(exchange), seen(exchange)], [1, apologyFor('connection')])
})

test('customer-service: a long answer\'s first part is the reply, the rest follow as customer-service messages', async (t) => {
  const { url, platform } = await modelAccount(t, { lateReplyMode: 'customer-service', model: longModel })
  const fan = newFan(platform)
  t.equal(seen(await say(url, fan, '讲个长故事')), PARAGRAPHS[0])
  t.same(await until('the rest', () => customTexts(platform, fan).length === 2 ? customTexts(platform, fan) : undefined), PARAGRAPHS.slice(1))

  const late = newFan(platform)
  t.equal(seen(await say(url, late, '慢慢讲个长故事')), 'silent')
  t.same(await until('every part', () => customTexts(platform, late).length === 3 ? customTexts(platform, late) : undefined), PARAGRAPHS, 'late: all of it, in order')
})

test('retry-window: the rest of a long answer waits for 继续', async (t) => {
  const { url, platform } = await modelAccount(t, { lateReplyMode: 'retry-window', model: longModel })
  const fan = newFan(platform)
  const first = seen(await say(url, fan, '讲个长故事'))
  t.equal(first, `${PARAGRAPHS[0] as string}${CONTINUE_NOTICE}`)
  t.ok(utf8Bytes(first) <= PASSIVE_TEXT_MAX_BYTES)
  t.equal(seen(await say(url, fan, '继续')), `${PARAGRAPHS[1] as string}${CONTINUE_NOTICE}`)
  t.equal(seen(await say(url, fan, '继续')), PARAGRAPHS[2])
  t.equal(platform.state.messages.length, 0)
})

test('auto without the rights: the rest is refused (48001) and comes with the fan\'s next messages', async (t) => {
  const { url, platform, llm, account } = await modelAccount(t, { customerService: false, model: longModel })
  const fan = newFan(platform)
  t.equal(seen(await say(url, fan, '讲个长故事')), PARAGRAPHS[0])
  await until('the held rest', async () => await account().store.get(heldAnswersKey(fan)) ?? undefined)
  t.ok(await account().store.get(RETRY_WINDOW_KEY), 'switched')
  t.equal(seen(await say(url, fan, '好')), `${PARAGRAPHS[1] as string}${MORE_HELD_NOTICE}`, 'one part a reply: the rest and this answer wait')
  t.equal(seen(await say(url, fan, '嗯')), `${PARAGRAPHS[2] as string}\n\n答：好\n\n答：嗯`)
  t.equal(callsFor(llm, '讲个长故事'), 1)
})

test('nothing secret reaches the log, at trace level', async (t) => {
  const logLines: string[] = []
  const { url, platform } = await modelAccount(t, { lateReplyMode: 'retry-window', customerService: false, logLines, model: longModel })
  const fan = newFan(platform)
  await say(url, fan, '我的暗号是紫罗兰 1500')
  await say(url, fan, '讲个长故事')
  const log = logLines.join('\n')
  t.match(log, /the model answered/, 'the model\'s answers are logged, by size')
  for (const secret of [API_KEY, '蓝色风信子', '紫罗兰', '故事很长', fan, 'Bearer']) t.notOk(log.includes(secret), `no ${secret} in the log`)
  t.same(errorLines(logLines), [])
})
