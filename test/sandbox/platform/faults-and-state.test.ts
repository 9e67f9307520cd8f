import { test } from 'tap'
import { createPlatformApi, startPlatformApi } from '../../../sandbox/platform/platform-api.js'
import { createPlatformState } from '../../../sandbox/platform/platform-state.js'
import { APP_ID, APP_SECRET, startPlatform } from '../../fixtures/platform-fixture.js'
import { request } from '../../fixtures/http-json.js'

const tokenPath = '/cgi-bin/token'
const tokenQuery = `?grant_type=client_credential&appid=${APP_ID}&secret=${APP_SECRET}`

test('faults are queued per path and used once each, in order', async (t) => {
  const platform = await startPlatform(t)
  const url = `${platform.url}${tokenPath}${tokenQuery}`
  platform.state.failNext(tokenPath, { errcode: 45009, errmsg: 'reach max api daily quota limit' })
  platform.state.failNext(tokenPath, { html: '<html><body>502</body></html>' })
  platform.state.failNext(tokenPath, { body: '{"errcode":0,"msgid":200228332000000001234}' })
  platform.state.failNext(tokenPath, { body: '{}', contentType: 'application/json' })
  platform.state.failNext(tokenPath, { truncate: true })
  t.equal(platform.state.faults.pending(tokenPath), 5)
  t.equal(platform.state.faults.pending('/other'), 0)
  const quota = await request(url)
  t.match(quota, { status: 200, type: 'text/plain', json: { errcode: 45009, errmsg: /^reach max api daily quota limit rid: / } })
  t.match(await request(url), { status: 200, type: 'text/html; charset=utf-8', text: '<html><body>502</body></html>' })
  t.match(await request(url), { type: 'text/plain', text: '{"errcode":0,"msgid":200228332000000001234}' })
  t.match(await request(url), { type: 'application/json', text: '{}' })
  const cut = await request(url)
  t.match(cut.text, /^\{"access_token":"/)
  t.throws(() => JSON.parse(cut.text), 'half a JSON body')
  t.match((await request(url)).json, { access_token: String }, 'queue empty: normal again')
  t.equal(platform.state.callCount(tokenPath), 6)
  t.equal(platform.state.callCount('/never'), 0)
})

test('a delay fault answers normally afterwards', async (t) => {
  const platform = await startPlatform(t)
  platform.state.failNext(tokenPath, { delayMs: 50 })
  t.match((await request(`${platform.url}${tokenPath}${tokenQuery}`)).json, { access_token: String })
})

test('a client that gives up during a delay is not answered, and close() does not wait for it', async (t) => {
  const platform = await startPlatformApi({ appId: APP_ID, appSecret: APP_SECRET })
  platform.state.failNext(tokenPath, { delayMs: 30_000 })
  await t.rejects(fetch(`${platform.url}${tokenPath}${tokenQuery}`, { signal: AbortSignal.timeout(100) }))
  const issuedBefore = platform.state.credentials.validTokens().length
  await platform.close()
  t.equal(platform.state.credentials.validTokens().length, issuedBefore, 'no token issued for the abandoned request')
  t.equal(issuedBefore, 0)
})

test('custom fans replace the defaults; defaults have https WeChat avatars and Chinese nicknames', async (t) => {
  const state = createPlatformState({ appId: APP_ID, appSecret: APP_SECRET, fans: [{ openid: 'oOnly', nickname: '<img src=x onerror=alert(1)>' }] })
  t.same([...state.fans.keys()], ['oOnly'])
  t.same(state.fans.get('oOnly'), { openid: 'oOnly', nickname: '<img src=x onerror=alert(1)>', headimgurl: 'https://thirdwx.qlogo.cn/mmopen/vi_32/oOnly/132', outsideWindow: false })
  const added = state.addFan({ openid: 'oTwo', nickname: 'x', headimgurl: 'javascript:alert(1)', outsideWindow: true })
  t.equal(added.headimgurl, 'javascript:alert(1)', 'hostile values are kept as given, for XSS tests')
  const defaults = createPlatformState({ appId: APP_ID, appSecret: APP_SECRET })
  t.ok(defaults.fans.size >= 2)
  for (const fan of defaults.fans.values()) {
    t.match(fan.headimgurl, /^https:\/\/thirdwx\.qlogo\.cn\//)
    t.match(fan.nickname, /[\u4e00-\u9fff]/)
    t.equal(fan.openid.length, 28)
  }
  t.ok(defaults.now() > 0, 'the real clock by default')
})

test('createPlatformApi gives an injectable app; startPlatformApi honours host and port', async (t) => {
  const { app, state } = createPlatformApi({ appId: APP_ID, appSecret: APP_SECRET, logger: false })
  const answer = await app.inject({ method: 'GET', url: `${tokenPath}${tokenQuery}` })
  t.equal(answer.statusCode, 200)
  t.equal(state.callCount(tokenPath), 1)
  await app.close()
  const running = await startPlatformApi({ appId: APP_ID, appSecret: APP_SECRET, host: '127.0.0.1', port: 0 })
  t.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  await running.close()
})
