import { test } from 'tap'
import { createBot } from '../../../src/bot/bot.js'
import { echoBotHandlers } from '../../../src/bot/echo-bot.js'
import { createDefaultBot } from '../../../src/bot/default-bot.js'
import { createRouter } from '../../../src/bot/rule-router.js'
import { clickAnswers, clickPush, DRY_RUN_FAN } from '../../../src/menu/menu-answers.js'
import type { Menu } from '../../../src/menu/menu-schema.js'
import { reply } from '../../../src/protocol/reply.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'

const menu: Menu = {
  button: [
    { type: 'click', name: '今日天气', key: 'WEATHER' },
    { name: '更多', sub_button: [
      { type: 'view', name: '官网', url: 'https://example.com/' },
      { type: 'click', name: '赞一下', key: 'LIKE' },
      { type: 'click', name: '再赞', key: 'LIKE' }
    ] },
    { type: 'click', name: '报错', key: 'BOOM' }
  ]
}

test('the CLICK a tap pushes: from the dry-run fan, with the key', async (t) => {
  t.same(clickPush('K1', 1700000000), {
    kind: 'event',
    type: 'CLICK',
    message: { ToUserName: 'gh_wempmenucheck', FromUserName: DRY_RUN_FAN, CreateTime: '1700000000', MsgType: 'event', Event: 'CLICK', EventKey: 'K1' }
  })
})

test('only a rule\'s reply answers a key: the fallback and a failure do not', async (t) => {
  const bot = createRouter({ store: createMemoryStore() })
    .event('CLICK', 'WEATHER', () => reply.text('今天晴'))
    .event('CLICK', 'BOOM', () => { throw new Error('weather service down') })
    .fallback(echoBotHandlers({ welcomeText: '欢迎' }))
    .bot()
  const answers = await clickAnswers([menu], bot)
  t.same(answers.keys, ['WEATHER', 'LIKE', 'BOOM'], 'each distinct key once')
  t.same(answers.unanswered, [
    { key: 'LIKE', path: 'button[1].sub_button[1]', name: '赞一下', why: 'fallback', reply: reply.text('菜单：LIKE'), menu: 0 },
    { key: 'LIKE', path: 'button[1].sub_button[2]', name: '再赞', why: 'fallback', reply: reply.text('菜单：LIKE'), menu: 0 },
    { key: 'BOOM', path: 'button[2]', name: '报错', why: 'failed', error: 'weather service down', menu: 0 }
  ])
})

test('several menus: a key is asked once across them, each button reported with its menu', async (t) => {
  const asked: string[] = []
  const bot = createBot({ CLICK: (e) => { asked.push(e.EventKey); return e.EventKey === 'WEATHER' ? reply.text('晴') : undefined } })
  const conditional: Menu = { button: [{ type: 'click', name: '天气', key: 'WEATHER' }, { type: 'click', name: '会员', key: 'VIP' }] }
  const answers = await clickAnswers([menu, conditional], bot)
  t.same(asked, ['WEATHER', 'LIKE', 'BOOM', 'VIP'])
  t.same(answers.unanswered.map((u) => [u.menu, u.key, u.why]), [[0, 'LIKE', 'no-reply'], [0, 'LIKE', 'no-reply'], [0, 'BOOM', 'no-reply'], [1, 'VIP', 'no-reply']])
})

test('the default bot answers no click key with a rule: every one reaches the echo', async (t) => {
  const bot = createDefaultBot({ account: { welcomeText: '欢迎' }, config: { weatherApiBase: 'http://127.0.0.1:9' }, store: createMemoryStore() })
  const answers = await clickAnswers([{ button: [{ type: 'click', name: '天气', key: 'WEATHER' }] }], bot)
  t.same(answers.unanswered, [{ key: 'WEATHER', path: 'button[0]', name: '天气', why: 'fallback', reply: reply.text('菜单：WEATHER'), menu: 0 }])
  t.same(await clickAnswers([{ button: [{ type: 'view', name: '官网', url: 'https://example.com/' }] }], bot), { keys: [], unanswered: [] })
})

test('a bot that throws something other than an Error is reported too', async (t) => {
  const bot = createBot({ CLICK: () => { throw 'plain string' } })
  const answers = await clickAnswers([{ button: [{ type: 'click', name: 'x', key: 'X' }] }], bot)
  t.match(answers.unanswered, [{ why: 'failed', error: 'plain string' }])
})

test('the bot may log as it answers; without a logger given, nothing is printed', async (t) => {
  const bot = createBot({ CLICK: (e, { log }) => { log.info({ key: e.EventKey }, 'clicked'); log.warn({}, 'w'); log.error({}, 'e'); return reply.text('ok') } })
  t.same(await clickAnswers([{ button: [{ type: 'click', name: 'x', key: 'X' }] }], bot), { keys: ['X'], unanswered: [] })
  const lines: string[] = []
  const log = { info: (_o: object, m?: string) => { lines.push(`info ${m ?? ''}`) }, warn: () => {}, error: () => {} }
  await clickAnswers([{ button: [{ type: 'click', name: 'x', key: 'X' }] }], bot, log)
  t.same(lines, ['info clicked'], 'a logger given is the one the bot gets')
})
