import { test } from 'tap'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const XIAOMING = 'oSandboxFan00000000000000001'
const WANGFANG = 'oSandboxFan00000000000000002'

const MENU = {
  button: [
    { type: 'click', name: '今日歌曲', key: 'V1001_TODAY_MUSIC' },
    { name: '菜单', sub_button: [
      { type: 'view', name: '搜索', url: 'https://www.soso.com/' },
      { type: 'miniprogram', name: 'wxa', url: 'https://mp.weixin.qq.com', appid: 'wx286b93c14bbf93aa', pagepath: 'pages/lunar/index' }
    ] }
  ]
}

test('create sends the menu exactly as menu.json has it, UTF-8 unescaped; get returns it with its menuid', async (t) => {
  const platform = await startPlatform(t)
  const { menu } = apiFor(platform).api.management
  t.equal(await menu.get(), undefined, 'no menu yet: 46003 means nothing to show')
  await menu.create(MENU)
  t.equal(platform.state.requests.last('/cgi-bin/menu/create')?.body,
    '{"button":[{"type":"click","name":"今日歌曲","key":"V1001_TODAY_MUSIC"},{"name":"菜单","sub_button":[{"type":"view","name":"搜索","url":"https://www.soso.com/"},' +
    '{"type":"miniprogram","name":"wxa","url":"https://mp.weixin.qq.com","appid":"wx286b93c14bbf93aa","pagepath":"pages/lunar/index"}]}]}')
  const got = await menu.get()
  t.equal(got?.menu.menuid, platform.state.menus.current?.menuid)
  t.same(got?.menu.button[0], { type: 'click', name: '今日歌曲', key: 'V1001_TODAY_MUSIC', sub_button: [] }, 'WeChat adds sub_button: [] to leaves')
  t.same(got?.conditional, [])
})

test('a menu WeChat would refuse is not sent: a typed error listing every problem by path', async (t) => {
  const platform = await startPlatform(t)
  const { menu } = apiFor(platform).api.management
  const error = await rejectionOf(menu.create({ button: [{ type: 'click', name: '一二三四五六', key: 'K' }, { name: 'x', sub_button: Array.from({ length: 6 }, () => ({ type: 'click', name: 's', key: 'k' })) }] }))
  t.match(error, {
    name: 'WeChatApiError',
    kind: 'invalid-request',
    api: 'menu/create',
    message: /button\[0\]\.name: 18 bytes in UTF-8; at most 16.*\nbutton\[1\]\.sub_button\[5\]: at most 5 sub-buttons/s
  })
  t.equal(platform.state.callCount('/cgi-bin/menu/create'), 0)
})

test('current: get_current_selfmenu_info in its own shape, closed when there is no menu', async (t) => {
  const platform = await startPlatform(t)
  const { menu } = apiFor(platform).api.management
  t.same(await menu.current(), { isOpen: false, buttons: [] })
  await menu.create(MENU)
  const current = await menu.current()
  t.equal(current.isOpen, true)
  t.same(current.buttons[1], { name: '菜单', sub_button: { list: MENU.button[1]?.sub_button } })
  platform.state.failNext('/cgi-bin/get_current_selfmenu_info', { body: '{"is_menu_open":0}' })
  t.same(await menu.current(), { isOpen: false, buttons: [] }, 'a closed menu may come without selfmenu_info')
})

test('conditional menus: added for a tag, listed by get, matched by trymatch, deleted by menuid', async (t) => {
  const platform = await startPlatform(t)
  const { menu, tags } = apiFor(platform).api.management
  const vip = await tags.create('VIP')
  const conditional = { button: [{ type: 'click', name: 'VIP 专享', key: 'VIP' }], matchrule: { tag_id: String(vip.id) } }
  t.match(await rejectionOf(menu.addConditional(conditional)), { kind: 'api', errcode: 65303, api: 'menu/addconditional' }, 'a default menu first')
  await menu.create(MENU)
  const menuid = await menu.addConditional(conditional)
  t.match(menuid, /^\d+$/)
  t.equal(platform.state.requests.last('/cgi-bin/menu/addconditional')?.body, `{"button":[{"type":"click","name":"VIP 专享","key":"VIP"}],"matchrule":{"tag_id":"${vip.id}"}}`)
  const got = await menu.get()
  t.same(got?.conditional, [{ button: [{ type: 'click', name: 'VIP 专享', key: 'VIP', sub_button: [] }], matchrule: { tag_id: String(vip.id) }, menuid: Number(menuid) }])
  await tags.tagFans(vip.id, [XIAOMING])
  t.match(await menu.tryMatch(XIAOMING), [{ key: 'VIP' }])
  t.match(await menu.tryMatch(WANGFANG), [{ key: 'V1001_TODAY_MUSIC' }, { name: '菜单' }])
  t.equal(platform.state.requests.last('/cgi-bin/menu/trymatch')?.body, `{"user_id":"${WANGFANG}"}`)
  await menu.deleteConditional(menuid)
  t.equal(platform.state.requests.last('/cgi-bin/menu/delconditional')?.body, `{"menuid":"${menuid}"}`)
  t.same((await menu.get())?.conditional, [])
  t.match(await rejectionOf(menu.deleteConditional(menuid)), { errcode: 65301 })
})

test('a conditional menu with a privacy rule or no rule is refused before sending', async (t) => {
  const platform = await startPlatform(t)
  const { menu } = apiFor(platform).api.management
  const error = await rejectionOf(menu.addConditional({ button: MENU.button, matchrule: { sex: '1' } }))
  t.match(error, { kind: 'invalid-request', message: /matchrule\.sex: WeChat no longer matches menus on sex, region or language/ })
  t.equal(platform.state.callCount('/cgi-bin/menu/addconditional'), 0)
})

test('delete removes the default menu and the conditional ones', async (t) => {
  const platform = await startPlatform(t)
  const { menu } = apiFor(platform).api.management
  await menu.create(MENU)
  await menu.addConditional({ button: MENU.button, matchrule: { client_platform_type: '2' } })
  await menu.delete()
  t.equal(await menu.get(), undefined)
  t.equal(platform.state.menus.conditional.length, 0)
})

test('business errors surface once, typed, and are not retried; 45009 and 48001 say what to do', async (t) => {
  const platform = await startPlatform(t)
  const { api, counters } = apiFor(platform)
  platform.state.failNext('/cgi-bin/menu/get', { errcode: -1, errmsg: 'system error' })
  t.match(await rejectionOf(api.management.menu.get()), { kind: 'api', errcode: -1, api: 'menu/get' })
  t.equal(platform.state.callCount('/cgi-bin/menu/get'), 1)
  platform.state.limits.setDailyQuota('/cgi-bin/menu/create', 1)
  await api.management.menu.create(MENU)
  const quota = await rejectionOf(api.management.menu.create(MENU))
  t.match(quota, { errcode: 45009, api: 'menu/create', hint: /daily quota of menu\/create is used up: wait until midnight Beijing time/ })
  t.match((quota as Error).message, /errcode 45009, reach max api daily quota limit .*, the daily quota of menu\/create/)
  platform.state.limits.deny('/cgi-bin/menu/trymatch')
  t.match(await rejectionOf(api.management.menu.tryMatch(XIAOMING)), { errcode: 48001, hint: /this account may not call menu\/trymatch: check 开发 → 接口权限/ })
  t.equal(platform.state.callCount('/cgi-bin/menu/create'), 2)
  t.same(counters.errors, [-1, 45009, 48001])
})

test('an answer without the promised fields is a bad response naming the field', async (t) => {
  const platform = await startPlatform(t)
  const { menu } = apiFor(platform).api.management
  platform.state.failNext('/cgi-bin/menu/get', { body: '{"menu":{"button":"none"}}' })
  t.match(await rejectionOf(menu.get()), { kind: 'bad-response', message: /\/menu\/button: Expected array/ })
  platform.state.failNext('/cgi-bin/menu/trymatch', { body: '{}' })
  t.match(await rejectionOf(menu.tryMatch(XIAOMING)), { kind: 'bad-response', message: /\/button/ })
})
