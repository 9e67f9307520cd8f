import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'tap'
import type { Bot } from '../../../src/bot/bot.js'
import { conversationKey, DEFAULT_CONVERSATION_TTL_MS } from '../../../src/bot/conversation.js'
import { echoBotHandlers } from '../../../src/bot/echo-bot.js'
import { createRouter, nextRule, type RuleRouter } from '../../../src/bot/rule-router.js'
import type { InboundPush } from '../../../src/protocol/inbound-push.js'
import { reply, type Reply } from '../../../src/protocol/reply.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { createRedisStore } from '../../../src/store/redis-store.js'
import { PUSHES } from '../../fixtures/pushes.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../../helpers/redis.js'
import { refusedBaseUrl } from '../weather/fake-open-meteo.js'
import { eventXml, FAN, pushOf, recordingLogger, text } from './bot-fixtures.js'

const WELCOME = '欢迎关注测试号'

/** The content of a text reply, `none` for no reply, the type for any other reply. */
async function said (bot: Bot, push: InboundPush, log = recordingLogger()): Promise<string> {
  const answer: Reply | undefined = await bot(push, { log })
  if (answer === undefined) return 'none'
  return answer.type === 'text' ? answer.content : answer.type
}

const router = (): RuleRouter => createRouter({ store: createMemoryStore() })

test('keyword: the whole text is one of the words, trimmed, Latin case ignored', async (t) => {
  const bot = router()
    .keyword(['帮助', 'help'], () => reply.text('help text'))
    .keyword('菜单', () => reply.text('menu'))
    .bot()
  t.equal(await said(bot, text('帮助')), 'help text')
  t.equal(await said(bot, text('  HeLp \n')), 'help text')
  t.equal(await said(bot, text('菜单')), 'menu', 'one word alone')
  t.equal(await said(bot, text('帮助一下')), 'none', 'more than the word')
  t.equal(await said(bot, pushOf(PUSHES.image)), 'none', 'not a text')
})

test('contains: any of the words anywhere in the text', async (t) => {
  const bot = router()
    .contains(['天气', 'WEATHER', ''], () => reply.text('weather'))
    .bot()
  t.equal(await said(bot, text('今天天气如何')), 'weather')
  t.equal(await said(bot, text('the Weather today')), 'weather')
  t.equal(await said(bot, text('hello')), 'none', 'an empty word matches nothing')
  t.equal(await said(bot, pushOf(PUSHES.voice)), 'none')
})

test('regex: the captures reach the handler; flags g and y do not carry state between texts', async (t) => {
  const bot = router()
    .regex(/^查快递\s*(\d+)$/g, (message, context) => reply.text(`${context.match[1]} from ${message.FromUserName}`))
    .regex(/(?<city>[a-z]+)-(?<day>\d)/iy, (_m, context) => reply.text(`${context.match.groups?.city}/${context.match.groups?.day}`))
    .bot()
  t.equal(await said(bot, text('查快递 12345')), `12345 from ${FAN}`)
  t.equal(await said(bot, text('查快递 12345')), `12345 from ${FAN}`, 'the same text matches again')
  t.equal(await said(bot, text('查快递67')), `67 from ${FAN}`)
  t.equal(await said(bot, text('Paris-3')), 'Paris/3')
  t.equal(await said(bot, text('Paris-3')), 'Paris/3')
  t.equal(await said(bot, text(' 查快递 1')), 'none', 'the text is not trimmed for a regex')
  t.equal(await said(bot, pushOf(PUSHES.CLICK)), 'none')
})

test('on: one message or event type, typed; other takes the unmodelled types', async (t) => {
  const bot = router()
    .on('image', (m) => reply.text(`image ${m.MediaId}`))
    .on('LOCATION', (e) => reply.text(`at ${e.Latitude}`))
    .on('location', (m) => reply.text(`label ${m.Label}`))
    .on('other', (m) => reply.text(`other ${m.MsgType}`))
    .bot()
  t.equal(await said(bot, pushOf(PUSHES.image)), 'image media_id')
  t.equal(await said(bot, pushOf(PUSHES.LOCATION)), 'at 23.137466')
  t.equal(await said(bot, pushOf(PUSHES.location)), 'label 位置信息', 'location and LOCATION are different types')
  t.equal(await said(bot, pushOf(PUSHES.unknownType)), 'other miniprogrampage')
  t.equal(await said(bot, pushOf(PUSHES.unknownEvent)), 'other event')
  t.equal(await said(bot, text('hi')), 'none')
})

test('event: by type, or by type and EventKey; a QR subscribe matches its scene without qrscene_', async (t) => {
  const bot = router()
    .event('CLICK', 'MENU_WEATHER', () => reply.text('weather menu'))
    .event('subscribe', '123123', () => reply.text('scene 123123'))
    .event('SCAN', 'SCENE_VALUE', (e) => reply.text(`scan ${e.Ticket}`))
    .event('subscribe', () => reply.text('plain subscribe'))
    .event('unsubscribe', 'x', () => reply.text('never: unsubscribe has no EventKey here'))
    .event('CLICK', (e) => reply.text(`other menu ${e.EventKey}`))
    .bot()
  t.equal(await said(bot, pushOf(eventXml('CLICK', '<EventKey><![CDATA[MENU_WEATHER]]></EventKey>'))), 'weather menu')
  t.equal(await said(bot, pushOf(PUSHES.CLICK)), 'other menu EVENTKEY')
  t.equal(await said(bot, pushOf(PUSHES.subscribeQr)), 'scene 123123')
  t.equal(await said(bot, pushOf(eventXml('subscribe', '<EventKey><![CDATA[123123]]></EventKey>'))), 'scene 123123',
    'a key without the prefix is compared as it is')
  t.equal(await said(bot, pushOf(PUSHES.subscribe)), 'plain subscribe')
  t.equal(await said(bot, pushOf(PUSHES.SCAN)), 'scan TICKET')
  t.equal(await said(bot, pushOf(eventXml('SCAN', '<EventKey><![CDATA[qrscene_SCENE_VALUE]]></EventKey>'))), 'none',
    'SCAN keys carry no prefix: a prefixed one is another scene')
  t.equal(await said(bot, pushOf(PUSHES.unsubscribe)), 'none')
  t.equal(await said(bot, text('MENU_WEATHER')), 'none', 'a text is not an event')
})

test('when: any predicate, sync or async, with the context; a type guard narrows the message', async (t) => {
  const seen: string[] = []
  const bot = router()
    .when((push): push is Extract<InboundPush, { type: 'link' }> => push.type === 'link', (m) => reply.text(`link ${m.Url}`))
    .when(async (push, context) => { seen.push(context.openid); return push.kind === 'event' }, () => undefined)
    .fallback({ text: () => reply.text('fallback') })
    .bot()
  t.equal(await said(bot, pushOf(PUSHES.link)), 'link https://mp.weixin.qq.com')
  t.equal(await said(bot, pushOf(PUSHES.VIEW)), 'none')
  t.same(seen, [FAN], 'the link rule answered first, so the second predicate ran for the event only')
  t.equal(await said(bot, text('hello')), 'fallback', 'an async predicate that says no passes on')
  t.same(seen, [FAN, FAN])
})

test('rules run in declared order; nextRule passes on, undefined answers with nothing', async (t) => {
  const ran: string[] = []
  const bot = router()
    .contains('a', () => { ran.push('first'); return nextRule })
    .contains('ab', () => { ran.push('second'); return reply.text('second') })
    .contains('a', () => { ran.push('third'); return reply.text('third') })
    .keyword('silent', () => { ran.push('silent'); return undefined })
    .fallback({ text: () => reply.text('fallback') })
    .bot()
  t.equal(await said(bot, text('abc')), 'second')
  t.same(ran, ['first', 'second'], 'the third never runs')
  t.equal(await said(bot, text('xa')), 'third')
  t.equal(await said(bot, text('silent')), 'none', 'no reply, and the fallback is not asked')
  t.equal(await said(bot, text('zzz')), 'fallback')
})

test('the fallback: handlers (the echo bot), a Bot, or none', async (t) => {
  const echo = router().keyword('help', () => reply.text('help')).fallback(echoBotHandlers({ welcomeText: WELCOME })).bot()
  t.equal(await said(echo, text('你好 😀 <b>&amp;</b>')), '你好 😀 <b>&amp;</b>', 'echoed byte for byte')
  t.equal(await said(echo, pushOf(PUSHES.subscribe)), WELCOME)
  t.equal(await said(echo, pushOf(PUSHES.image)), 'image')
  t.equal(await said(echo, text('help')), 'help')

  const logs = recordingLogger()
  const asBot = router().fallback(async (push, context) => { context.log.info({ type: push.type }); return reply.text('bot') }).bot()
  t.equal(await said(asBot, pushOf(PUSHES.link), logs), 'bot')
  t.same(logs.calls, [{ level: 'info', obj: { type: 'link' }, msg: undefined }], 'the fallback gets the handler context')

  t.equal(await said(router().bot(), text('hi')), 'none')
})

test('use: rules written elsewhere join in order', async (t) => {
  const greetings = (r: RuleRouter) => r.keyword('hi', () => reply.text('hello'))
  const bot = router().keyword('hi', () => nextRule).use(greetings).keyword('hi', () => reply.text('late')).bot()
  t.equal(await said(bot, text('hi')), 'hello')
})

test('the context: openid, push, store and the log', async (t) => {
  const store = createMemoryStore()
  const bot = createRouter({ store }).on('text', async (m, context) => {
    await context.store.set(`seen:${context.openid}`, m.Content, 1000)
    context.log.info({ type: context.push.type })
    return reply.text('ok')
  }).bot()
  const log = recordingLogger()
  await said(bot, text('remember me'), log)
  t.equal(await store.get(`seen:${FAN}`), 'remember me')
  t.same(log.calls.map((c) => c.obj), [{ type: 'text' }])
})

/** Asks "which city?" and answers the next text; `nextRule` when the answer is not a city. */
function cityConversation (r: RuleRouter, seenBeforeAsking: unknown[]): RuleRouter {
  return r
    .keyword('weather', async (_m, context) => {
      seenBeforeAsking.push(await context.conversation.pending())
      await context.conversation.ask('city', { day: 'tomorrow' })
      return reply.text('which city?')
    })
    .keyword('never mind', async (_m, context) => { await context.conversation.end(); return reply.text('ok') })
    .keyword('ask unknown', async (_m, context) => { await context.conversation.ask('no-such-topic'); return reply.text('asked') })
    .on('image', async (_m, context) => reply.text(`pending ${(await context.conversation.pending())?.name}`))
    .topic('city', async (m, context) => {
      if (m.Content === 'again') { await context.conversation.ask('city', context.topic.data); return reply.text('again?') }
      return m.Content.length > 6 ? nextRule : reply.text(`${m.Content} ${(context.topic.data as { day: string }).day}`)
    })
    .fallback(echoBotHandlers({ welcomeText: WELCOME }))
}

test('a conversation: the next text goes to the topic that asked, once', async (t) => {
  const seen: unknown[] = []
  const bot = cityConversation(router(), seen).bot()
  t.equal(await said(bot, text('weather')), 'which city?')
  t.same(seen, [null], 'nothing pending before the question')
  t.equal(await said(bot, pushOf(PUSHES.image)), 'pending city', 'a non-text push leaves the question waiting')
  t.equal(await said(bot, text('北京')), '北京 tomorrow', 'the data asked with')
  t.equal(await said(bot, text('北京')), '北京', 'answered once: the next text is routed as usual')

  await said(bot, text('weather'))
  t.equal(await said(bot, text('weather')), 'which city?', 'a keyword is still offered to the topic first, which passes it')
  t.equal(await said(bot, text('again')), 'again?', 'a topic may ask again')
  t.equal(await said(bot, text('深圳')), '深圳 tomorrow')

  await said(bot, text('weather'))
  t.equal(await said(bot, text('a long sentence')), 'a long sentence', 'the topic passed: the rules and the fallback answer')
  t.equal(await said(bot, text('深圳')), '深圳', 'and the question is over')

  await said(bot, text('weather'))
  t.match(await said(bot, pushOf(PUSHES.link)), /^收到链接/, 'events and other messages do not touch it')
  t.equal(await said(bot, pushOf(PUSHES.CLICK)), '菜单：EVENTKEY')
  t.equal(await said(bot, text('never mind')), 'ok', 'the topic passed it to the keyword')

  t.equal(await said(bot, text('ask unknown')), 'asked')
  t.equal(await said(bot, text('深圳')), '深圳', 'a topic no rule answers is dropped')
})

test('end() forgets the question; each fan has their own', async (t) => {
  const store = createMemoryStore()
  const bot = createRouter({ store })
    .keyword('weather', async (_m, context) => { await context.conversation.ask('city'); return reply.text('which city?') })
    .keyword('cancel', async (_m, context) => { await context.conversation.end(); return reply.text(`${(await context.conversation.pending()) === null}`) })
    .on('image', async (_m, context) => { await context.conversation.end(); return reply.text('ended') })
    .topic('city', (m) => reply.text(`city ${m.Content}`))
    .bot()
  await said(bot, text('weather'))
  t.equal(await said(bot, text('北京', 'oOtherFan000000000000000001')), 'none', 'another fan is not in the conversation')
  t.equal(await said(bot, text('北京')), 'city 北京')
  await said(bot, text('weather'))
  t.equal(await said(bot, pushOf(PUSHES.image)), 'ended')
  t.equal(await store.get(conversationKey(FAN)), null, 'removed from the store')
  t.equal(await said(bot, text('北京')), 'none')
})

test('a question expires after the conversation TTL (default five minutes)', async (t) => {
  let now = 1_000_000
  const store = createMemoryStore({ now: () => now })
  const build = (ttl?: number) => createRouter({ store, ...(ttl !== undefined && { conversationTtlMs: ttl }) })
    .keyword('weather', async (_m, context) => { await context.conversation.ask('city'); return reply.text('which city?') })
    .topic('city', (m) => reply.text(`city ${m.Content}`))
    .bot()
  const standard = build()
  await said(standard, text('weather'))
  now += DEFAULT_CONVERSATION_TTL_MS - 1
  t.equal(await said(standard, text('北京')), 'city 北京', 'just within five minutes')
  await said(standard, text('weather'))
  now += DEFAULT_CONVERSATION_TTL_MS
  t.equal(await said(standard, text('北京')), 'none', 'five minutes later it is gone')

  const short = build(1000)
  await said(short, text('weather'))
  now += 1000
  t.equal(await said(short, text('北京')), 'none', 'conversationTtlMs')
})

test('a stored question that is not ours (garbage, no topic) is ignored', async (t) => {
  const store = createMemoryStore()
  const bot = createRouter({ store }).topic('city', () => reply.text('city')).fallback({ text: () => reply.text('fallback') }).bot()
  for (const value of ['not json', '{"data":1}', 'null', '{"topic":7}']) {
    await store.set(conversationKey(FAN), value, 60_000)
    t.equal(await said(bot, text('北京')), 'fallback', value)
  }
})

test('a failing store: the conversation is lost, the fan is still answered, the log names no fan', async (t) => {
  const store = createRedisStore({ url: (await refusedBaseUrl()).replace('http:', 'redis:'), connectTimeoutMs: 200 })
  t.teardown(() => store.close())
  const bot = createRouter({ store })
    .keyword('weather', async (_m, context) => reply.text(`asked ${await context.conversation.ask('city')}`))
    .keyword('cancel', async (_m, context) => { await context.conversation.end(); return reply.text('cancelled') })
    .on('image', async (_m, context) => reply.text(`pending ${String(await context.conversation.pending())}`))
    .topic('city', () => reply.text('city'))
    .fallback({ text: (m) => reply.text(m.Content) })
    .bot()
  const log = recordingLogger()
  t.equal(await said(bot, text('weather'), log), 'asked false')
  t.equal(await said(bot, text('北京'), log), '北京')
  t.equal(await said(bot, text('cancel'), log), 'cancelled')
  t.equal(await said(bot, pushOf(PUSHES.image), log), 'pending null')
  t.same(log.calls.map((c) => [c.level, (c.obj as { operation: string }).operation, c.msg]), [
    ['warn', 'take', 'conversation store failed'],
    ['warn', 'ask', 'conversation store failed'],
    ['warn', 'take', 'conversation store failed'],
    ['warn', 'take', 'conversation store failed'],
    ['warn', 'end', 'conversation store failed'],
    ['warn', 'pending', 'conversation store failed']
  ])
  t.notMatch(JSON.stringify(log.calls), FAN)
})

test('a conversation started on one instance is answered on another (one Redis)', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const keyPrefix = uniqueKeyPrefix('rule-router')
  t.teardown(() => deleteKeysWithPrefix(url, keyPrefix))
  const stores = [createRedisStore({ url, keyPrefix }), createRedisStore({ url, keyPrefix })]
  t.teardown(() => Promise.all(stores.map((store) => store.close())))
  for (const store of stores) await untilUp(store)
  const [a, b] = stores.map((store) => createRouter({ store, conversationTtlMs: 300 })
    .keyword('weather', async (_m, context) => { await context.conversation.ask('city', { day: '明天' }); return reply.text('which city?') })
    .topic('city', (m, context) => reply.text(`${m.Content} ${(context.topic.data as { day: string }).day}`))
    .fallback({ text: () => reply.text('fallback') })
    .bot()) as [Bot, Bot]
  t.equal(await said(a, text('weather')), 'which city?')
  t.equal(await said(b, text('北京')), '北京 明天', 'instance B answers the question A asked')
  t.equal(await said(a, text('北京')), 'fallback', 'and A does not answer it again')

  await said(b, text('weather'))
  await sleep(400)
  t.equal(await said(a, text('北京')), 'fallback', 'Redis expired the question after its TTL')
})

async function untilUp (store: { ping(): Promise<boolean> }): Promise<void> {
  for (let i = 0; i < 100 && !(await store.ping()); i++) await sleep(20)
}
