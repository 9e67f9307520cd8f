import { test } from 'tap'
import { menuSeenBy } from '../../../sandbox/platform/menu-routes.js'
import { APP_ID, apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { callApi, errcodeOf } from '../../fixtures/platform-calls.js'

const CREATE = '/cgi-bin/menu/create'
const click = (name: string, key = 'K'): Record<string, unknown> => ({ type: 'click', name, key })
const sub = (...buttons: unknown[]): Record<string, unknown> => ({ name: 'm', sub_button: buttons })

test('menu/create answers WeChat\'s errcode for each limit, one past it; each limit itself passes', async (t) => {
  const platform = await startPlatform(t)
  const media = platform.state.media.add('permanent', { type: 'image', bytes: Buffer.from('x'), filename: 'a.jpg', contentType: 'image/jpeg' })
  const cases: Array<[string, unknown, number]> = [
    ['3 buttons', { button: [click('a'), click('b'), click('c')] }, 0],
    ['4 buttons', { button: [click('a'), click('b'), click('c'), click('d')] }, 40016],
    ['no buttons', { button: [] }, 40016],
    ['no button array', { menu: {} }, 40016],
    ['16-byte name', { button: [click('今日歌曲好a')] }, 0],
    ['17-byte name', { button: [click('今日歌曲好ab')] }, 40018],
    ['no name', { button: [{ type: 'click', key: 'K' }] }, 40018],
    ['not an object', { button: ['x'] }, 40017],
    ['unknown type', { button: [{ type: 'shout', name: 'a' }] }, 40017],
    ['128-byte key', { button: [click('a', 'k'.repeat(128))] }, 0],
    ['129-byte key', { button: [click('a', 'k'.repeat(129))] }, 40019],
    ['no key', { button: [{ type: 'scancode_push', name: 'a' }] }, 40019],
    ['1024-byte url', { button: [{ type: 'view', name: 'a', url: `https://x.cn/${'p'.repeat(1011)}` }] }, 0],
    ['1025-byte url', { button: [{ type: 'view', name: 'a', url: `https://x.cn/${'p'.repeat(1012)}` }] }, 40020],
    ['url not http', { button: [{ type: 'view', name: 'a', url: 'ftp://x.cn' }] }, 40055],
    ['5 sub-buttons', { button: [sub(click('1'), click('2'), click('3'), click('4'), click('5'))] }, 0],
    ['6 sub-buttons', { button: [sub(click('1'), click('2'), click('3'), click('4'), click('5'), click('6'))] }, 40023],
    ['60-byte sub name', { button: [sub(click('中'.repeat(20)))] }, 0],
    ['61-byte sub name', { button: [sub(click(`${'中'.repeat(20)}a`))] }, 40025],
    ['sub type', { button: [sub({ type: 'shout', name: 'a' })] }, 40024],
    ['sub key', { button: [sub(click('a', 'k'.repeat(129)))] }, 40026],
    ['sub url', { button: [sub({ type: 'view', name: 'a', url: '' })] }, 40027],
    ['sub url domain', { button: [sub({ type: 'view', name: 'a', url: 'javascript:1' })] }, 40054],
    ['three levels', { button: [sub(sub(click('a')))] }, 40022],
    ['mini program', { button: [{ type: 'miniprogram', name: 'a', url: 'https://x.cn', appid: 'wx1', pagepath: 'p/i' }] }, 0],
    ['mini program without appid', { button: [{ type: 'miniprogram', name: 'a', url: 'https://x.cn', pagepath: 'p' }] }, 40166],
    ['mini program without page', { button: [{ type: 'miniprogram', name: 'a', url: 'https://x.cn', appid: 'wx1' }] }, 40165],
    ['media_id of a material', { button: [{ type: 'media_id', name: 'a', media_id: media.mediaId }] }, 0],
    ['unknown media_id', { button: [{ type: 'media_id', name: 'a', media_id: 'nope' }] }, 40007],
    ['article_id', { button: [{ type: 'article_view_limited', name: 'a', article_id: 'ART' }] }, 0],
    ['no article_id', { button: [{ type: 'article_id', name: 'a' }] }, 40007]
  ]
  for (const [label, body, errcode] of cases) t.equal(await errcodeOf(platform, CREATE, body), errcode, label)
})

test('menu/get and get_current_selfmenu_info shapes; delete; 46003 without a menu', async (t) => {
  const platform = await startPlatform(t)
  t.equal(await errcodeOf(platform, '/cgi-bin/menu/get'), 46003)
  await callApi(platform, CREATE, { button: [click('a'), sub(click('b'))] })
  const got = await callApi(platform, '/cgi-bin/menu/get')
  t.same(got.json.menu.button, [{ type: 'click', name: 'a', key: 'K', sub_button: [] }, { name: 'm', sub_button: [{ type: 'click', name: 'b', key: 'K', sub_button: [] }] }])
  t.notOk('conditionalmenu' in got.json)
  const current = await callApi(platform, '/cgi-bin/get_current_selfmenu_info')
  t.same(current.json, { is_menu_open: 1, selfmenu_info: { button: [click('a'), { name: 'm', sub_button: { list: [click('b')] } }] } })
  t.equal(await errcodeOf(platform, '/cgi-bin/menu/delete'), 0)
  t.equal(platform.state.menus.current, undefined)
})

test('conditional menus: the rule\'s errcodes, matching on the latest tag, and trymatch refusals', async (t) => {
  const platform = await startPlatform(t)
  const ADD = '/cgi-bin/menu/addconditional'
  const fan = 'oSandboxFan00000000000000001'
  const first = platform.state.tags.create('一')
  const second = platform.state.tags.create('二')
  const button = [click('a')]
  t.equal(await errcodeOf(platform, '/cgi-bin/menu/trymatch', { user_id: fan }), 46003)
  t.equal(await errcodeOf(platform, ADD, { button, matchrule: { tag_id: String(first.id) } }), 65303)
  await callApi(platform, CREATE, { button: [click('default', 'DEFAULT')] })
  t.equal(await errcodeOf(platform, ADD, { button }), 65304)
  t.equal(await errcodeOf(platform, ADD, { button, matchrule: {} }), 65304)
  t.equal(await errcodeOf(platform, ADD, { button, matchrule: { language: 'zh_CN' } }), 65320)
  t.equal(await errcodeOf(platform, ADD, { button, matchrule: { tag_id: '999' } }), 45159)
  t.equal(await errcodeOf(platform, ADD, { button, matchrule: { client_platform_type: '9' } }), 40097)
  t.equal(await errcodeOf(platform, ADD, { button: [], matchrule: { tag_id: '2' } }), 40016)
  for (const tag of [first, second]) {
    const added = await callApi(platform, ADD, { button: [click(tag.name, `TAG_${tag.id}`)], matchrule: { tag_id: String(tag.id) } })
    t.type(added.json.menuid, 'string', 'addconditional answers the menuid as a string')
  }
  await callApi(platform, ADD, { button: [click('iOS', 'IOS')], matchrule: { client_platform_type: '1' } })
  const trymatch = async (): Promise<unknown> => (await callApi(platform, '/cgi-bin/menu/trymatch', { user_id: fan })).json.button
  t.match(await trymatch(), [{ key: 'DEFAULT' }], 'no tag: the default menu')
  platform.state.followers.of(fan).tagIds = [second.id, first.id]
  t.match(await trymatch(), [{ key: `TAG_${first.id}` }], 'the latest tag decides')
  t.equal(await errcodeOf(platform, '/cgi-bin/menu/trymatch', { user_id: 'oNobody' }), 65302)
  t.equal(await errcodeOf(platform, '/cgi-bin/menu/trymatch', { user_id: 7 }), 65302)
  t.equal(await errcodeOf(platform, '/cgi-bin/menu/delconditional', { menuid: 'nope' }), 65301)
  t.equal(platform.state.menus.conditional.length, 3)
})

test('each account has its own menus; menuSeenBy gives the one a fan sees', async (t) => {
  const other = { appId: 'wxshop000000000001', appSecret: 'shop-secret-0123456789abcdef' }
  const platform = await startPlatform(t, { apps: [other] })
  const first = apiFor(platform).api.management.menu
  const shop = apiFor(platform, other).api.management.menu
  await first.create({ button: [click('新闻', 'NEWS')] })
  t.equal(await shop.get(), undefined, 'one account\'s menu is not another\'s')
  await shop.create({ button: [click('商城', 'SHOP')] })
  t.match(await first.get(), { menu: { button: [{ key: 'NEWS' }] } })
  t.equal(platform.state.menus, platform.state.menusOf(APP_ID), 'state.menus is the first account\'s')
  t.match(platform.state.menusOf(other.appId).current, { button: [{ key: 'SHOP' }] })

  const fan = 'oSandboxFan00000000000000001'
  t.match(menuSeenBy(platform.state, other.appId, fan), { button: [{ key: 'SHOP' }] })
  const tag = platform.state.tags.create('VIP')
  platform.state.followers.of(fan).tagIds.push(tag.id)
  await shop.addConditional({ button: [click('会员', 'VIP')], matchrule: { tag_id: String(tag.id) } })
  t.match(menuSeenBy(platform.state, other.appId, fan), { button: [{ key: 'VIP' }] }, 'the conditional menu of the fan\'s tag')
  t.match(menuSeenBy(platform.state, other.appId, 'oSandboxFan00000000000000002'), { button: [{ key: 'SHOP' }] })
  await shop.delete()
  t.equal(menuSeenBy(platform.state, other.appId, fan), undefined)
  t.match(await first.get(), { menu: { button: [{ key: 'NEWS' }] } }, 'deleting one account\'s menus leaves the other\'s')
})
