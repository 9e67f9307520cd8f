import { test } from 'tap'
import { createBot } from '../../../src/bot/bot.js'
import { echoBotHandlers } from '../../../src/bot/echo-bot.js'
import { createRouter, dryRun, nextRule } from '../../../src/bot/rule-router.js'
import { reply } from '../../../src/protocol/reply.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { eventXml, pushOf, recordingLogger, text } from './bot-fixtures.js'

const click = (key: string) => pushOf(eventXml('CLICK', `<EventKey><![CDATA[${key}]]></EventKey>`))
const context = () => ({ log: recordingLogger() })

test('a dry run tells a rule\'s answer from the fallback\'s', async (t) => {
  const bot = createRouter({ store: createMemoryStore() })
    .event('CLICK', 'WEATHER', () => reply.text('今天晴'))
    .event('CLICK', 'QUIET', () => undefined)
    .event('CLICK', 'PASS', () => nextRule)
    .fallback(echoBotHandlers({ welcomeText: '欢迎' }))
    .bot()
  t.same(await dryRun(bot, click('WEATHER'), context()), { by: 'rule', reply: reply.text('今天晴') })
  t.same(await dryRun(bot, click('OTHER'), context()), { by: 'fallback', reply: reply.text('菜单：OTHER') }, 'the echo answers, but as the fallback')
  t.same(await dryRun(bot, click('PASS'), context()), { by: 'fallback', reply: reply.text('菜单：PASS') }, 'a rule that passes leaves it to the fallback')
  t.same(await dryRun(bot, click('QUIET'), context()), { by: 'rule', reply: undefined }, 'a rule may answer nothing')
  t.same(await dryRun(bot, text('hi'), context()), { by: 'fallback', reply: reply.text('hi') })
})

test('a router without a fallback: past the rules there is no reply, still "fallback"', async (t) => {
  const bot = createRouter({ store: createMemoryStore() }).keyword('ping', () => reply.text('pong')).bot()
  t.same(await dryRun(bot, click('ANY'), context()), { by: 'fallback', reply: undefined })
  t.same(await dryRun(bot, text('ping'), context()), { by: 'rule', reply: reply.text('pong') })
})

test('a bot not built by the router has no fallback to tell apart: its answers count as rules\'', async (t) => {
  const bot = createBot({ CLICK: (e) => reply.text(`点了 ${e.EventKey}`) })
  t.same(await dryRun(bot, click('K'), context()), { by: 'rule', reply: reply.text('点了 K') })
  t.same(await dryRun(bot, text('hi'), context()), { by: 'rule', reply: undefined })
})

test('outside a dry run the fallback answers as before, and the context reaches it unchanged', async (t) => {
  const seen: unknown[] = []
  const bot = createRouter({ store: createMemoryStore() }).fallback(async (_push, handlerContext) => {
    seen.push(handlerContext)
    return reply.text('fallback')
  }).bot()
  const ctx = context()
  t.same(await bot(click('K'), ctx), reply.text('fallback'))
  t.equal(seen[0], ctx, 'the very context the bot was given')
  t.same(Object.getOwnPropertySymbols(ctx), [], 'nothing was added to it')
})
