import { test } from 'tap'
import { startSandbox } from '../../sandbox/sandbox-app.js'
import type { RunningSandbox } from '../../sandbox/sandbox-app.js'
import { createWeChatApi } from '../../src/wechat-api/wechat-api.js'
import type { WeChatApi } from '../../src/wechat-api/wechat-api.js'
import { createMemoryStore } from '../../src/store/memory-store.js'
import { SAMPLE_BYTES } from '../fixtures/media-bytes.js'
import { ACCOUNT_ID, SHARED, startWemp } from './wemp-server.js'

const XIAOMING = 'oSandboxFan00000000000000001'
const SHOP = { id: 'shop', token: 'shoptoken01', appId: 'wxshop000000000001', appSecret: 'shop-secret-0123456789abcdef', mode: 'plain' as const }

interface Teardown { teardown(fn: () => unknown): void }

async function sandboxFor (t: Teardown, serverUrl: string): Promise<RunningSandbox> {
  const running = await startSandbox({ ...SHARED, mode: 'plain', serverUrl, accountId: ACCOUNT_ID, accounts: [{ ...SHOP, serverUrl: `${serverUrl}/shop` }] })
  t.teardown(() => running.close())
  return running
}

/** The account's API client, as a server (or the wemp CLI) would call the sandbox. */
function apiOf (running: RunningSandbox, account: { appId: string, appSecret: string } = SHARED): WeChatApi {
  return createWeChatApi({ appId: account.appId, appSecret: account.appSecret, apiBase: running.url, store: createMemoryStore() })
}

async function getJson (url: string): Promise<{ status: number, json: any }> {
  const response = await fetch(url)
  return { status: response.status, json: await response.json() }
}

async function post (url: string, body: unknown): Promise<{ status: number, json: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: response.status, json: await response.json() }
}

test('the menu a fan sees, account by account', async (t) => {
  const running = await sandboxFor(t, 'http://127.0.0.1:9/wechat')
  t.same((await getJson(`${running.url}/api/menu`)).json, { menuid: null, button: [] })
  await apiOf(running).management.menu.create({ button: [{ type: 'click', name: '天气', key: 'WEATHER' }] })
  const menu = await getJson(`${running.url}/api/menu?openid=${XIAOMING}`)
  t.match(menu.json, { menuid: Number, button: [{ type: 'click', name: '天气', key: 'WEATHER' }] })
  t.same((await getJson(`${running.url}/api/menu?account=shop`)).json, { menuid: null, button: [] }, 'shop has a menu of its own: none yet')
  t.match((await getJson(`${running.url}/api/menu?account=default`)).json, { button: [{ key: 'WEATHER' }] }, 'without openid: the fan holding the phone')
  t.equal((await getJson(`${running.url}/api/menu?account=blog`)).status, 404)
})

test('follow state: the fans the sandbox starts with follow; a new fan follows once subscribed', async (t) => {
  const wemp = await startWemp(t)
  const running = await sandboxFor(t, wemp.url)
  t.same((await getJson(`${running.url}/api/follow?openid=${XIAOMING}`)).json, { account: 'default', openid: XIAOMING, following: true })
  const fan = (await post(`${running.url}/api/fans`, { nickname: '新朋友' })).json as { openid: string }
  t.equal((await getJson(`${running.url}/api/follow?openid=${fan.openid}&account=shop`)).json.following, false)
  await post(`${running.url}/api/send`, { openid: fan.openid, action: { kind: 'subscribe' } })
  t.equal((await getJson(`${running.url}/api/follow?openid=${fan.openid}`)).json.following, true)
  t.equal((await getJson(`${running.url}/api/follow?openid=${fan.openid}&account=shop`)).json.following, false, 'following one account is not following another')
  await post(`${running.url}/api/send`, { openid: XIAOMING, action: { kind: 'unsubscribe' } })
  t.equal((await getJson(`${running.url}/api/follow?openid=${XIAOMING}`)).json.following, false)
  t.equal((await getJson(`${running.url}/api/follow?openid=oNobody`)).status, 404)
  t.equal((await getJson(`${running.url}/api/follow`)).status, 404, 'no fan named')
  t.equal((await getJson(`${running.url}/api/follow?openid=${XIAOMING}&account=blog`)).status, 404)
})

test('QR codes: listed per account; a scan subscribes a newcomer with the scene, then reports SCAN', async (t) => {
  const wemp = await startWemp(t)
  const running = await sandboxFor(t, wemp.url)
  const mine = await apiOf(running).management.qrCodes.createTemporary('spring', 3600)
  const permanent = await apiOf(running).management.qrCodes.createPermanent(7)
  const theirs = await apiOf(running, SHOP).management.qrCodes.createTemporary(99, 60)
  const listed = (await getJson(`${running.url}/api/qrcodes`)).json.codes as Array<Record<string, unknown>>
  t.same(listed.map((code) => code.ticket), [permanent.ticket, mine.ticket], 'the account\'s own, newest first')
  t.match(listed[1], { scene: 'spring', actionName: 'QR_STR_SCENE', permanent: false, expiresAt: Number, expired: false })
  t.match(listed[0], { scene: 7, permanent: true, expiresAt: null })
  t.same((await getJson(`${running.url}/api/qrcodes?account=shop`)).json.codes.map((code: { ticket: string }) => code.ticket), [theirs.ticket])

  const fan = (await post(`${running.url}/api/fans`, { nickname: '新朋友' })).json as { openid: string }
  const first = await post(`${running.url}/api/qrcodes/scan`, { openid: fan.openid, ticket: mine.ticket })
  t.equal(first.status, 200)
  t.same(first.json.action, { kind: 'subscribe', scene: 'spring', ticket: mine.ticket })
  t.match(first.json.exchange.pushXml, `<EventKey><![CDATA[qrscene_spring]]></EventKey><Ticket><![CDATA[${mine.ticket}]]></Ticket>`)
  t.match(first.json.exchange.result, { kind: 'reply', reply: { content: '欢迎关注测试号\n（来自二维码场景：spring）' } })
  t.match(running.state.followers.of(fan.openid), { subscribeScene: 'ADD_SCENE_QR_CODE', qrSceneStr: 'spring', qrScene: 0 })
  t.equal(running.session.currentOpenid, fan.openid)

  const again = await post(`${running.url}/api/qrcodes/scan`, { openid: fan.openid, ticket: mine.ticket })
  t.same(again.json.action, { kind: 'scan', scene: 'spring', ticket: mine.ticket })
  t.match(again.json.exchange.result, { reply: { content: '扫码场景：spring' } })
  t.match(again.json.exchange.pushXml, `<Event><![CDATA[SCAN]]></Event><EventKey><![CDATA[spring]]></EventKey><Ticket><![CDATA[${mine.ticket}]]></Ticket>`)
  const byId = await post(`${running.url}/api/qrcodes/scan`, { openid: XIAOMING, ticket: permanent.ticket })
  t.same(byId.json.action, { kind: 'scan', scene: '7', ticket: permanent.ticket }, 'a follower: SCAN with the scene id')
  t.match(running.state.followers.of(XIAOMING), { subscribeScene: 'ADD_SCENE_SEARCH' }, 'a SCAN changes nothing about how they came')

  await post(`${running.url}/api/send`, { openid: XIAOMING, action: { kind: 'unsubscribe' } })
  await post(`${running.url}/api/qrcodes/scan`, { openid: XIAOMING, ticket: permanent.ticket })
  t.match(running.state.followers.of(XIAOMING), { subscribeScene: 'ADD_SCENE_QR_CODE', qrScene: 7, qrSceneStr: '' }, 'coming back through a code')
})

test('a scan that cannot happen: unknown fan, account or code, another account\'s code, an expired code', async (t) => {
  const running = await startSandbox({ ...SHARED, mode: 'plain', serverUrl: 'http://127.0.0.1:9/wechat', accountId: ACCOUNT_ID })
  t.teardown(() => running.close())
  // Made directly, without a token, a code belongs to the first account.
  const code = running.state.qrcodes.issue('QR_SCENE', 5, 60)
  const other = running.state.qrcodes.issue('QR_SCENE', 6, 60, 'wxsomeoneelse00001')
  t.equal((await post(`${running.url}/api/qrcodes/scan`, { openid: 'oNobody', ticket: code.ticket })).status, 404)
  t.equal((await post(`${running.url}/api/qrcodes/scan`, { account: 'blog', openid: XIAOMING, ticket: code.ticket })).status, 404)
  t.equal((await post(`${running.url}/api/qrcodes/scan`, { openid: XIAOMING, ticket: 'nope' })).status, 404)
  t.equal((await post(`${running.url}/api/qrcodes/scan`, { openid: XIAOMING, ticket: other.ticket })).status, 404)
  t.equal((await post(`${running.url}/api/qrcodes/scan`, { openid: XIAOMING })).status, 400)
  t.equal((await getJson(`${running.url}/api/qrcodes?account=blog`)).status, 404)
  t.match((await getJson(`${running.url}/api/qrcodes`)).json.codes, [{ ticket: code.ticket, expired: false }])
  const scanned = await post(`${running.url}/api/qrcodes/scan`, { openid: XIAOMING, ticket: code.ticket })
  t.same(scanned.json.action, { kind: 'scan', scene: '5', ticket: code.ticket })
  code.expiresAt = Date.now() - 1
  const expired = await post(`${running.url}/api/qrcodes/scan`, { openid: XIAOMING, ticket: code.ticket })
  t.same([expired.status, expired.json], [410, { error: '二维码已过期' }])
  t.match((await getJson(`${running.url}/api/qrcodes`)).json.codes, [{ ticket: code.ticket, expired: true }])
})

test('notices: template messages and subscription notices, filled in, since the last look', async (t) => {
  const running = await sandboxFor(t, 'http://127.0.0.1:9/wechat')
  const api = apiOf(running)
  const [template] = await api.management.templates.listPrivate()
  await api.management.templates.send({ touser: XIAOMING, templateId: template?.template_id ?? '', url: 'https://example.com/order/1', data: { character_string1: 'A1', thing2: '保温杯', time3: '10:00' } })
  running.state.templates.grantSubscription(XIAOMING, 'GmWuqC8Z5ZVd7eW2tDGgLBy8cOE-vE3F8n1mhP5O1tM')
  await api.management.sendSubscribeNotice({ touser: XIAOMING, templateId: 'GmWuqC8Z5ZVd7eW2tDGgLBy8cOE-vE3F8n1mhP5O1tM', page: 'pages/weather', data: { thing1: '降雨', phrase2: '小雨', time3: '08:00' } })
  const feed = (await getJson(`${running.url}/api/notices`)).json
  t.same(feed.templates.items.map((n: Record<string, unknown>) => [n.kind, n.appId, n.touser, n.title, n.lines, n.link]), [
    ['template', SHARED.appId, XIAOMING, '订单发货通知', ['订单编号：A1', '商品名称：保温杯', '发货时间：10:00'], 'https://example.com/order/1']
  ])
  t.same(feed.subscribe.items.map((n: Record<string, unknown>) => [n.kind, n.title, n.lines, n.link]), [['subscribe', '天气提醒', ['thing1: 降雨', 'phrase2: 小雨', 'time3: 08:00'], 'pages/weather']])
  t.same([feed.templates.next, feed.subscribe.next], [1, 1])
  const later = (await getJson(`${running.url}/api/notices?templates=1&subscribe=1`)).json
  t.same([later.templates.items, later.subscribe.items], [[], []])
  t.same((await getJson(`${running.url}/api/notices?templates=x`)).json.templates.items.length, 1, 'a bad offset is 0')
})

test('media by id: what it is, and its file for the chat to show', async (t) => {
  const running = await sandboxFor(t, 'http://127.0.0.1:9/wechat')
  const api = apiOf(running).management
  const image = await api.media.upload('image', { data: SAMPLE_BYTES.png, filename: 'poster.png' })
  const video = await api.material.add('video', { data: SAMPLE_BYTES.mp4, filename: 'intro.mp4' }, { title: '开箱', introduction: '' })
  const news = running.state.media.addNews([{ title: '文章' }])
  t.same((await getJson(`${running.url}/api/media/${image.mediaId}`)).json, { mediaId: image.mediaId, type: 'image', filename: 'poster.png', permanent: false })
  t.same((await getJson(`${running.url}/api/media/${video.mediaId}`)).json, { mediaId: video.mediaId, type: 'video', filename: 'intro.mp4', permanent: true, title: '开箱' })
  const file = await fetch(`${running.url}/api/media/${image.mediaId}/file`)
  t.equal(file.headers.get('content-type'), 'image/png')
  t.equal(file.headers.get('x-content-type-options'), 'nosniff')
  t.same(Buffer.from(await file.arrayBuffer()), SAMPLE_BYTES.png)
  t.equal((await fetch(`${running.url}/api/media/${news.mediaId}/file`)).status, 404, 'news has no file')
  t.equal((await fetch(`${running.url}/api/media/nope`)).status, 404)
  t.equal((await fetch(`${running.url}/api/media/nope/file`)).status, 404)
  const bare = running.state.media.add('temporary', { type: 'voice', bytes: Buffer.from('#!AMR\n'), filename: 'v.amr', contentType: '' })
  t.equal((await fetch(`${running.url}/api/media/${bare.mediaId}/file`)).headers.get('content-type'), 'application/octet-stream')
})

test('the console\'s scripts are served', async (t) => {
  const running = await sandboxFor(t, 'http://127.0.0.1:9/wechat')
  for (const file of ['console-menu.js', 'console-cards.js', 'console-qrcodes.js']) {
    const response = await fetch(`${running.url}/sandbox/${file}`)
    t.match(response.headers.get('content-type'), /text\/javascript/, file)
    t.match(await response.text(), /^\/\/ /)
  }
})
