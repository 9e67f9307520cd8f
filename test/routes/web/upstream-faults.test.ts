import { APP_ID } from '../../fixtures/platform-fixture.js'
import { test } from 'tap'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { EXCHANGE_PATH, FAN, USERINFO_PATH, webApp } from '../../helpers/web-app.js'
import { createBrowser } from '../../helpers/web-browser.js'
import { signIn, startLogin } from '../../helpers/wechat-login.js'

test('a real 40163 (code used) while not signed in → one restart of the login, then a page (H 77, H 78)', async (t) => {
  const { app, platform } = await webApp(t)
  const browser = createBrowser(app)
  const { state } = await startLogin(browser, 'scope=snsapi_base&next=/orders/3')
  const code = platform.state.issueCode({ openid: FAN.openid, scope: 'snsapi_base' })
  platform.state.oauth.exchange(code) // someone else spent it first
  const first = await browser.get(`/oauth/callback?code=${code}&state=${state}`)
  t.equal(first.statusCode, 302)
  t.equal(first.headers.location, '/oauth/login?scope=snsapi_base&next=/orders/3', 'the same scope and landing, a fresh state')
  const restarted = await startLogin(browser, 'scope=snsapi_base&next=/orders/3')
  platform.state.failNext(EXCHANGE_PATH, { errcode: 40163, errmsg: 'code been used' })
  const second = await browser.get(`/oauth/callback?code=${platform.state.issueCode({ openid: FAN.openid, scope: 'snsapi_base' })}&state=${restarted.state}`)
  t.equal(second.statusCode, 400, 'no second restart: a page instead of a loop')
  t.match(second.body, '授权未成功')
  t.match(second.body, 'href="/oauth/login?scope=snsapi_base&amp;next=/orders/3"')
})

test('a real 40163 while already signed in → straight to the app (H 77)', async (t) => {
  const { app, platform } = await webApp(t)
  const browser = createBrowser(app)
  await signIn(browser, platform, { openid: FAN.openid })
  const { state } = await startLogin(browser, 'next=/orders/4')
  platform.state.failNext(EXCHANGE_PATH, { errcode: 40163, errmsg: 'code been used, rid: 1-2-3' })
  const res = await browser.get(`/oauth/callback?code=ANYCODE&state=${state}`)
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, '/orders/4')
  t.equal((await browser.get('/profile')).statusCode, 200)
})

test('40029 invalid code → restart once per session, then a page (H 78)', async (t) => {
  const { app, platform } = await webApp(t)
  const browser = createBrowser(app)
  const first = await startLogin(browser)
  const res1 = await browser.get(`/oauth/callback?code=NOT0A0REAL0CODE&state=${first.state}`)
  t.equal(res1.statusCode, 302)
  t.equal(res1.headers.location, '/oauth/login?scope=snsapi_userinfo&next=/profile')
  const second = await startLogin(browser)
  const res2 = await browser.get(`/oauth/callback?code=STILL0NOT0REAL&state=${second.state}`)
  t.equal(res2.statusCode, 400)
  t.match(res2.body, '授权未成功')
  t.equal(platform.state.callCount(EXCHANGE_PATH), 2)
  const third = await signIn(browser, platform, { openid: FAN.openid })
  t.equal(third.callback.headers.location, '/profile', 'a good code after that still signs in')
})

test('WeChat failures during the exchange → friendly 502 page, never a 500 (H 82)', async (t) => {
  const { app, platform } = await webApp(t)
  const faults = [
    { name: '48001', fault: { errcode: 48001, errmsg: 'api unauthorized' } },
    { name: '-1 system error', fault: { errcode: -1, errmsg: 'system error' } },
    { name: 'HTML', fault: { html: '<html><body>502 Bad Gateway</body></html>' } },
    { name: 'errcode as text/plain', fault: { body: '{"errcode":40125,"errmsg":"invalid appsecret, rid: 1"}', contentType: 'text/plain' } },
    { name: 'cut-off JSON', fault: { truncate: true as const } },
    { name: 'no answer within 3 s', fault: { delayMs: 3500 } }
  ]
  for (const { name, fault } of faults) {
    const browser = createBrowser(app)
    const { state } = await startLogin(browser)
    platform.state.failNext(EXCHANGE_PATH, fault)
    const code = platform.state.issueCode({ openid: FAN.openid, scope: 'snsapi_userinfo' })
    const started = Date.now()
    const res = await browser.get(`/oauth/callback?code=${code}&state=${state}`)
    t.equal(res.statusCode, 502, name)
    t.match(res.body, '微信暂时无法响应', name)
    t.notMatch(res.body, /errcode|invalid appsecret|Bad Gateway|stack/, name)
    t.ok(Date.now() - started < 3400, `${name}: answered within the client's deadline`)
    t.equal((await browser.get('/profile')).statusCode, 302, `${name}: not signed in`)
  }
})

test('userinfo failures complete the login with the openid only (H 82)', async (t) => {
  const { app, platform } = await webApp(t)
  const faults = [
    { name: '48001 (scope unauthorized)', fault: { errcode: 48001, errmsg: 'api unauthorized' } },
    { name: '40003', fault: { errcode: 40003, errmsg: 'invalid openid' } },
    { name: 'HTML', fault: { html: '<html>oops</html>' } },
    { name: 'timeout', fault: { delayMs: 3500 } }
  ]
  for (const { name, fault } of faults) {
    const browser = createBrowser(app)
    platform.state.failNext(USERINFO_PATH, fault)
    const login = await signIn(browser, platform, { openid: FAN.openid })
    t.equal(login.callback.statusCode, 302, name)
    t.equal(login.callback.headers.location, '/profile', name)
    const profile = await browser.get('/profile')
    t.equal(profile.statusCode, 200, name)
    t.match(profile.body, FAN.openid, name)
    t.notMatch(profile.body, FAN.nickname, name)
    t.match(profile.body, 'href="/oauth/login?scope=snsapi_userinfo&amp;next=/profile"', `${name}: offers to try again`)
  }
})

test('a snsapi_base grant for a userinfo request: userinfo is not called (it would be 48001)', async (t) => {
  const { app, platform } = await webApp(t)
  const browser = createBrowser(app)
  const login = await signIn(browser, platform, { openid: FAN.openid, scope: 'snsapi_base' })
  t.equal(login.scope, 'snsapi_userinfo', 'asked for userinfo')
  t.equal(login.callback.headers.location, '/profile')
  t.equal(platform.state.callCount(USERINFO_PATH), 0)
  const profile = await browser.get('/profile')
  t.match(profile.body, 'class="avatar placeholder"')
})

test('the session keeps openid and unionid from the token, the userinfo fields, and no WeChat token', async (t) => {
  const store = createMemoryStore()
  const { app, platform } = await webApp(t, { store })
  const browser = createBrowser(app)
  const login = await signIn(browser, platform, { openid: FAN.openid })
  const sessionId = decodeURIComponent(browser.cookies.get('wemp_sid') as string).split('.')[0] as string
  const session = JSON.parse(await store.get(`sess:${sessionId}`) as string) as { accounts: Record<string, { login: { user: Record<string, unknown>, next: string } }> }
  t.same(Object.keys(session.accounts), [APP_ID], 'kept in the account\'s part of the session, by AppID')
  t.same(session.accounts[APP_ID]?.login.user, {
    openid: FAN.openid, scope: 'snsapi_userinfo', unionid: 'uSandboxUnion000000000000001', nickname: FAN.nickname, headimgurl: FAN.avatar,
    sex: 0, country: '', province: '', city: ''
  }, 'what /sns/userinfo said, as sent: sex and region emptied, as WeChat sends them since 2021')
  t.notMatch(JSON.stringify(session), login.code, 'the code is not kept')
  t.notMatch(JSON.stringify(session), /access_token|refresh|accessToken/)
  const other = createBrowser(app)
  await signIn(other, platform, { openid: 'oSandboxFan00000000000000002' }, 'scope=snsapi_base')
  const otherId = decodeURIComponent(other.cookies.get('wemp_sid') as string).split('.')[0] as string
  const otherSession = JSON.parse(await store.get(`sess:${otherId}`) as string) as { accounts: Record<string, { login: { user: Record<string, unknown> } }> }
  t.same(otherSession.accounts[APP_ID]?.login.user, { openid: 'oSandboxFan00000000000000002', scope: 'snsapi_base' }, 'no unionid when WeChat sends none')
})
