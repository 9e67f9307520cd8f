import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'tap'
import { EXIT } from '../../cli/program.js'
import { cliAgainstPlatform } from './cli-fixture.js'

const MENU = {
  button: [
    { type: 'click', name: '今日天气', key: 'WEATHER' },
    { name: '更多', sub_button: [
      { type: 'view', name: '官网', url: 'https://example.com/' },
      { type: 'click', name: '赞一下', key: 'LIKE' },
      { type: 'miniprogram', name: '小程序', url: 'https://example.com/', appid: 'wx286b93c14bbf93aa', pagepath: 'pages/lunar/index' }
    ] }
  ]
}

// Answers WEATHER with a rule; LIKE reaches the echo fallback.
const BOT = `import { createRouter, reply } from ${JSON.stringify(new URL('../../index.ts', import.meta.url).href)}
import { echoBotHandlers } from ${JSON.stringify(new URL('../../src/bot/echo-bot.ts', import.meta.url).href)}
export default ({ store, account }) => createRouter({ store })
  .event('CLICK', 'WEATHER', () => reply.text('今天晴'))
  .fallback(echoBotHandlers({ welcomeText: account.welcomeText }))
  .bot()
`

test('menu push: the file goes to menu/create as written; the keys only the fallback answers are named', async (t) => {
  const { platform, dir, wemp } = await cliAgainstPlatform(t)
  writeFileSync(join(dir, 'menu.json'), JSON.stringify(MENU))
  writeFileSync(join(dir, 'bot.mjs'), BOT)
  const run = await wemp(['menu', 'push', 'menu.json'], { WEMP_BOT: './bot.mjs' })
  t.equal(run.code, EXIT.ok, run.err)
  t.equal(platform.state.requests.last('/cgi-bin/menu/create')?.body, JSON.stringify(MENU))
  t.equal(run.out, [
    'menu pushed to default: 2 buttons, 3 in sub-menus',
    '  今日天气  click WEATHER',
    '  更多',
    '    官网  view https://example.com/',
    '    赞一下  click LIKE',
    '    小程序  miniprogram wx286b93c14bbf93aa pages/lunar/index',
    '',
    'no rule answers these click keys:',
    '  LIKE (button[1].sub_button[1] “赞一下”): only the fallback answers (“菜单：LIKE”)',
    ''
  ].join('\n'))

  const json = await wemp(['--json', 'menu', 'push', 'menu.json'])
  t.equal(json.code, EXIT.ok)
  t.match(json.json(), { pushed: true, account: 'default', menu: MENU, keys: ['WEATHER', 'LIKE'], answered: [], unanswered: [{ key: 'WEATHER', why: 'fallback' }, { key: 'LIKE' }] },
    'without WEMP_BOT the default bot answers no key with a rule')
})

test('menu push: a menu WeChat would refuse is not sent, every problem at its path, exit 1', async (t) => {
  const { platform, dir, wemp } = await cliAgainstPlatform(t)
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ button: [{ type: 'click', name: '一个很长很长的按钮名字', key: 'K' }, { type: 'view', name: '网', url: 'ftp://x' }] }))
  const run = await wemp(['menu', 'push', 'bad.json'])
  t.equal(run.code, EXIT.refused)
  t.equal(run.out, 'bad.json: WeChat would refuse this menu:\n  button[0].name: 33 bytes in UTF-8; at most 16 (a Chinese character is 3)\n  button[1].url: a web address starting with http:// or https://\n')
  t.equal(platform.state.callCount('/cgi-bin/menu/create'), 0)
  writeFileSync(join(dir, 'broken.json'), '{ "button": [')
  const json = await wemp(['menu', 'push', 'broken.json', '--json'])
  t.equal(json.code, EXIT.refused)
  t.match(json.json(), { pushed: false, problems: [{ path: 'menu.json', message: /^not JSON/ }] })
  const missing = await wemp(['menu', 'push', 'nowhere.json'])
  t.same([missing.code, missing.err], [EXIT.usage, 'wemp: cannot read nowhere.json (ENOENT)\n'])
})

test('menu push: WeChat\'s refusal is exit 1 with the errcode and what it means', async (t) => {
  const { platform, dir, wemp } = await cliAgainstPlatform(t)
  writeFileSync(join(dir, 'menu.json'), JSON.stringify(MENU))
  platform.state.failNext('/cgi-bin/menu/create', { errcode: 40055, errmsg: 'invalid button url domain' })
  const run = await wemp(['menu', 'push', 'menu.json'])
  t.equal(run.code, EXIT.refused)
  t.equal(run.err, 'wemp: WeChat refused menu/create: errcode 40055 (invalid button url domain): a button\'s url is on a domain WeChat does not allow\n')
  platform.state.limits.deny('/cgi-bin/menu/create')
  const json = await wemp(['--json', 'menu', 'push', 'menu.json'])
  t.equal(json.code, EXIT.refused)
  t.match(JSON.parse(json.err), { error: { kind: 'api', api: 'menu/create', errcode: 48001, errmsg: /^api unauthorized/, meaning: /this account may not call menu\/create/ } })
})

test('menu show: none made through the API, then the menu in menu.json\'s shape with its conditional menus', async (t) => {
  const { platform, dir, wemp } = await cliAgainstPlatform(t)
  const none = await wemp(['menu', 'show'])
  t.same([none.code, none.out], [EXIT.ok, 'default has no menu made through the API\n'])
  t.same((await wemp(['menu', 'show', '--json'])).json(), { menu: null, conditional: [], consoleMenuOn: false })

  writeFileSync(join(dir, 'menu.json'), JSON.stringify(MENU))
  t.equal((await wemp(['menu', 'push', 'menu.json'])).code, EXIT.ok)
  const tag = platform.state.tags.create('VIP')
  platform.state.menus.conditional.push({ button: [{ type: 'click', name: '会员', key: 'VIP' }], matchrule: { tag_id: String(tag.id) }, menuid: 208379999, at: 0 })
  const shown = await wemp(['menu', 'show'])
  t.match(shown.out, /^menu of default \(menuid \d+\): 2 buttons, 3 in sub-menus\n  今日天气  click WEATHER\n/)
  t.match(shown.out, new RegExp(`\\n\\nconditional menu 208379999 for \\{"tag_id":"${tag.id}"\\}:\\n  会员  click VIP\\n$`))
  const json = (await wemp(['--json', 'menu', 'show'])).json<{ menu: unknown, conditional: unknown[] }>()
  t.same(json.menu, MENU, 'menu.json again, without menu/get\'s empty sub_button lists')
  t.same(json.conditional, [{ menuid: 208379999, matchrule: { tag_id: String(tag.id) }, button: [{ type: 'click', name: '会员', key: 'VIP' }] }])
})

test('menu show: a menu made in the MP console only is mentioned', async (t) => {
  const { platform, wemp } = await cliAgainstPlatform(t)
  platform.state.failNext('/cgi-bin/menu/get', { errcode: 46003, errmsg: 'menu no exist' })
  platform.state.failNext('/cgi-bin/get_current_selfmenu_info', { body: '{"is_menu_open":1,"selfmenu_info":{"button":[{"type":"click","name":"a","key":"A"}]}}' })
  const run = await wemp(['menu', 'show'])
  t.equal(run.out, 'default has no menu made through the API (a menu made in the MP console is on, with 1 buttons)\n')
})

test('menu show: every kind of button, and an answer without a menuid', async (t) => {
  const { platform, wemp } = await cliAgainstPlatform(t)
  platform.state.failNext('/cgi-bin/menu/get', { body: JSON.stringify({ menu: { button: [
    { type: 'media_id', name: '图片', media_id: 'MEDIA1', sub_button: [] },
    { name: '文章', sub_button: [{ type: 'article_id', name: '发布', article_id: 'ART1', sub_button: [] }, { type: 'scancode_push', name: '扫码', key: 'SCAN1', sub_button: [] }] }
  ] } }) })
  const run = await wemp(['menu', 'show'])
  t.equal(run.out, 'menu of default: 2 buttons, 2 in sub-menus\n  图片  media_id MEDIA1\n  文章\n    发布  article_id ART1\n    扫码  scancode_push SCAN1\n')
  platform.state.failNext('/cgi-bin/menu/get', { body: JSON.stringify({ menu: { button: [{ type: 'click', name: '一', key: 'ONE', sub_button: [] }] } }) })
  t.match((await wemp(['--json', 'menu', 'show'])).json(), { menu: { button: [{ type: 'click', name: '一', key: 'ONE' }] }, menuid: null })
  platform.state.failNext('/cgi-bin/menu/get', { body: JSON.stringify({ menu: { button: [{ type: 'click', name: '一', key: 'ONE', sub_button: [] }] } }) })
  t.equal((await wemp(['menu', 'show'])).out.split('\n')[0], 'menu of default: 1 button')
})

test('menu delete: the default and the conditional menus go', async (t) => {
  const { platform, dir, wemp } = await cliAgainstPlatform(t)
  writeFileSync(join(dir, 'menu.json'), JSON.stringify(MENU))
  await wemp(['menu', 'push', 'menu.json'])
  const run = await wemp(['menu', 'delete'])
  t.same([run.code, run.out], [EXIT.ok, 'menu of default deleted (the default menu and every conditional menu)\n'])
  t.equal(platform.state.menus.current, undefined)
  t.same((await wemp(['menu', 'delete', '--json'])).json(), { deleted: true, account: 'default' })
})

test('menu check: the account\'s menus, or a file before it is pushed; exit 1 while a key is unanswered', async (t) => {
  const { platform, dir, wemp } = await cliAgainstPlatform(t)
  writeFileSync(join(dir, 'bot.mjs'), BOT)
  const nothing = await wemp(['menu', 'check'])
  t.same([nothing.code, nothing.out], [EXIT.ok, 'default has no menu made through the API: nothing to check\n'])

  writeFileSync(join(dir, 'menu.json'), JSON.stringify(MENU))
  const calls = platform.state.requests.entries.length
  const file = await wemp(['menu', 'check', 'menu.json'], { WEMP_BOT: './bot.mjs' })
  t.equal(file.code, EXIT.refused)
  t.equal(file.out, '2 click keys, 1 answered by a rule of the bot\nno rule answers these click keys:\n  LIKE (button[1].sub_button[1] “赞一下”): only the fallback answers (“菜单：LIKE”)\n')
  t.equal(platform.state.requests.entries.length, calls, 'a file is checked without calling WeChat')

  writeFileSync(join(dir, 'good.json'), JSON.stringify({ button: [{ type: 'click', name: '天气', key: 'WEATHER' }, { type: 'view', name: '网', url: 'https://example.com/' }] }))
  const good = await wemp(['menu', 'check', 'good.json'], { WEMP_BOT: './bot.mjs' })
  t.same([good.code, good.out], [EXIT.ok, '1 click key, 1 answered by a rule of the bot\n'])
  const answeredPush = await wemp(['menu', 'push', 'good.json'], { WEMP_BOT: './bot.mjs' })
  t.equal(answeredPush.out, 'menu pushed to default: 2 buttons\n  天气  click WEATHER\n  网  view https://example.com/\n', 'every key answered: no list')
  writeFileSync(join(dir, 'views.json'), JSON.stringify({ button: [{ type: 'view', name: '网', url: 'https://example.com/' }] }))
  t.equal((await wemp(['menu', 'check', 'views.json'])).out, 'no click buttons: nothing for the bot to answer\n')
  writeFileSync(join(dir, 'bad.json'), '[]')
  t.equal((await wemp(['menu', 'check', 'bad.json'])).code, EXIT.refused)

  await wemp(['menu', 'push', 'good.json'])
  const tag = platform.state.tags.create('VIP')
  platform.state.menus.conditional.push({ button: [{ type: 'click', name: '会员', key: 'VIP' }], matchrule: { tag_id: String(tag.id) }, menuid: 208379999, at: 0 })
  const online = await wemp(['--json', 'menu', 'check'], { WEMP_BOT: './bot.mjs' })
  t.equal(online.code, EXIT.refused)
  t.match(online.json(), { keys: ['WEATHER', 'VIP'], answered: ['WEATHER'], unanswered: [{ key: 'VIP', menu: 1, why: 'fallback' }] })
  t.match((await wemp(['menu', 'check'], { WEMP_BOT: './bot.mjs' })).out, /  VIP \(conditional menu 208379999, button\[0\] “会员”\): only the fallback answers/)
})

test('menu check: a bot that answers nothing, or throws, is named so', async (t) => {
  const { dir, wemp } = await cliAgainstPlatform(t)
  writeFileSync(join(dir, 'menu.json'), JSON.stringify({ button: [{ type: 'click', name: '静', key: 'QUIET' }, { type: 'click', name: '错', key: 'BOOM' }, { type: 'click', name: '图', key: 'PICTURE' }] }))
  writeFileSync(join(dir, 'bot.mjs'), `export default () => async (push) => {
  if (push.message.EventKey === 'BOOM') throw new Error('database down')
  if (push.message.EventKey === 'PICTURE') return { type: 'image', mediaId: 'm1' }
  return undefined
}
`)
  const run = await wemp(['menu', 'check', 'menu.json'], { WEMP_BOT: './bot.mjs' })
  t.equal(run.out, '3 click keys, 1 answered by a rule of the bot\nno rule answers these click keys:\n' +
    '  QUIET (button[0] “静”): the bot answers nothing\n  BOOM (button[1] “错”): the bot failed: database down\n')
  writeFileSync(join(dir, 'by-account.mjs'), 'export default { other: () => async () => ({ type: "text", content: "x" }) }\n')
  const fallback = await wemp(['menu', 'check', 'menu.json'], { WEMP_BOT: './by-account.mjs' })
  t.match(fallback.out, /^3 click keys, 0 answered/, 'an object of builders without this account: the default bot')
})
