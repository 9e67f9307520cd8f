import { test } from 'tap'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { EXCHANGE_PATH, FAN, USERINFO_PATH, webApp } from '../../helpers/web-app.js'
import { createBrowser } from '../../helpers/web-browser.js'
import { signIn, startLogin } from '../../helpers/wechat-login.js'

test('happy path, snsapi_userinfo: login → WeChat → callback → 302 clean next → profile', async (t) => {
  const { app, platform } = await webApp(t)
  const browser = createBrowser(app)
  const before = browser.cookies.get('wemp_sid')
  const login = await signIn(browser, platform, { openid: FAN.openid }, 'next=/profile')
  t.equal(login.callback.statusCode, 302)
  t.equal(login.callback.headers.location, '/profile', 'no code, no state in the landing URL (H 84)')
  t.equal(login.callback.headers['referrer-policy'], 'no-referrer', 'the callback URL never leaks through Referer (H 84)')
  t.equal(platform.state.callCount(EXCHANGE_PATH), 1)
  t.equal(platform.state.callCount(USERINFO_PATH), 1)
  const loginCookie = /wemp_sid=([^;]+)/.exec(login.response.headers['set-cookie'] as string)?.[1]
  t.not(browser.cookies.get('wemp_sid'), loginCookie, 'a new session id at login (no fixation)')
  t.equal(before, undefined)
  const profile = await browser.get('/profile')
  t.equal(profile.statusCode, 200)
  t.match(profile.body, `<bdi class="nickname">${FAN.nickname}</bdi>`)
  t.match(profile.body, `<img class="avatar" src="${FAN.avatar}"`)
  t.match(profile.body, FAN.openid)
})

test('happy path, snsapi_base: openid only, no userinfo call, a link to sign in with snsapi_userinfo', async (t) => {
  const { app, platform } = await webApp(t)
  const browser = createBrowser(app)
  const login = await signIn(browser, platform, { openid: FAN.openid }, 'scope=snsapi_base&next=/profile')
  t.equal(login.scope, 'snsapi_base')
  t.equal(login.callback.headers.location, '/profile')
  t.equal(platform.state.callCount(USERINFO_PATH), 0)
  const profile = await browser.get('/profile')
  t.match(profile.body, FAN.openid)
  t.notMatch(profile.body, FAN.nickname)
  t.match(profile.body, 'href="/oauth/login?scope=snsapi_userinfo&amp;next=/profile"')
  t.match(profile.body, 'class="avatar placeholder"')
})

test('the landing path is the login\'s clean next', async (t) => {
  const { app, platform } = await webApp(t)
  const cases = [['/orders/7?tab=paid', '/orders/7?tab=paid'], ['//evil.example', '/profile'], ['/%5Cevil.example', '/profile']] as const
  for (const [next, landing] of cases) {
    const login = await signIn(createBrowser(app), platform, { openid: FAN.openid }, `next=${encodeURIComponent(next)}`)
    t.equal(login.callback.headers.location, landing, next)
  }
})

test('no code: the fan declined → friendly 400, no upstream call (H 73)', async (t) => {
  const { app, platform } = await webApp(t)
  const browser = createBrowser(app)
  const { state } = await startLogin(browser)
  for (const url of [`/oauth/callback?state=${state}`, `/oauth/callback?code=&state=${state}`, '/oauth/callback']) {
    const res = await browser.get(url)
    t.equal(res.statusCode, 400, url)
    t.match(res.headers['content-type'], /^text\/html/)
    t.match(res.body, '未完成授权')
    t.match(res.body, 'href="/oauth/login?next=/profile"')
  }
  t.equal(platform.state.callCount(EXCHANGE_PATH), 0)
})

test('state missing, empty or unknown → 403, the code never exchanged (H 74)', async (t) => {
  const { app, platform } = await webApp(t)
  const browser = createBrowser(app)
  await startLogin(browser)
  const code = platform.state.issueCode({ openid: FAN.openid, scope: 'snsapi_userinfo' })
  for (const query of [`code=${code}`, `code=${code}&state=`, `code=${code}&state=Unknown0State0000000000000000000`]) {
    const res = await browser.get(`/oauth/callback?${query}`)
    t.equal(res.statusCode, 403, query)
    t.match(res.body, '登录链接已失效')
    t.match(res.headers['content-security-policy'], /default-src 'none'/)
  }
  t.equal(platform.state.callCount(EXCHANGE_PATH), 0)
})

test('a state older than 10 minutes → 403, not exchanged (H 74)', async (t) => {
  let now = Date.now()
  const store = createMemoryStore({ now: () => now })
  const { app, platform } = await webApp(t, { store })
  const browser = createBrowser(app)
  const { state } = await startLogin(browser)
  now += 10 * 60_000 + 1
  const code = platform.state.issueCode({ openid: FAN.openid, scope: 'snsapi_userinfo' })
  const res = await browser.get(`/oauth/callback?code=${code}&state=${state}`)
  t.equal(res.statusCode, 403)
  t.equal(platform.state.callCount(EXCHANGE_PATH), 0)
})

test('a state from browser A presented by browser B → 403; and it is spent (H 75)', async (t) => {
  const { app, platform } = await webApp(t)
  const a = createBrowser(app)
  const b = createBrowser(app)
  await startLogin(b)
  const { state } = await startLogin(a)
  const code = platform.state.issueCode({ openid: FAN.openid, scope: 'snsapi_userinfo' })
  t.equal((await b.get(`/oauth/callback?code=${code}&state=${state}`)).statusCode, 403, 'B has its own session')
  t.equal((await createBrowser(app).get(`/oauth/callback?code=${code}&state=${state}`)).statusCode, 403, 'a browser with no session')
  t.equal((await a.get(`/oauth/callback?code=${code}&state=${state}`)).statusCode, 403, 'single use: A cannot use it after the attempt')
  t.equal(platform.state.callCount(EXCHANGE_PATH), 0)
  t.equal((await b.get('/profile')).statusCode, 302, 'B is not signed in')
})

test('the same state a second time, not signed in → 403 (H 75)', async (t) => {
  const { app, platform } = await webApp(t)
  const browser = createBrowser(app)
  const { state } = await startLogin(browser)
  platform.state.failNext(EXCHANGE_PATH, { errcode: -1, errmsg: 'system error' })
  const code = platform.state.issueCode({ openid: FAN.openid, scope: 'snsapi_userinfo' })
  t.equal((await browser.get(`/oauth/callback?code=${code}&state=${state}`)).statusCode, 502)
  t.equal((await browser.get(`/oauth/callback?code=${code}&state=${state}`)).statusCode, 403)
  t.equal(platform.state.callCount(EXCHANGE_PATH), 1)
})

test('malformed state → 400, never reflected, no header injection (H 76)', async (t) => {
  const { app, platform } = await webApp(t)
  const browser = createBrowser(app)
  await startLogin(browser)
  const code = platform.state.issueCode({ openid: FAN.openid, scope: 'snsapi_userinfo' })
  const hostile = ['A'.repeat(5 * 1024), '<script>alert(1)</script>', '%0d%0aSet-Cookie:%20evil=1', 'abc%0d%0aLocation:%20https://evil.example', 'a b', 'A'.repeat(129)]
  for (const state of hostile) {
    const res = await browser.get(`/oauth/callback?code=${code}&state=${encodeURIComponent(state)}`)
    t.equal(res.statusCode, 400, state.slice(0, 30))
    t.notMatch(res.body, /<script>alert|evil|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/)
    t.equal(res.headers.location, undefined)
    t.notMatch(JSON.stringify(res.headers), /evil/)
  }
  const raw = await app.inject({ method: 'GET', url: `/oauth/callback?code=${code}&state=x%0d%0aSet-Cookie:%20evil=1` })
  t.equal(raw.statusCode, 400)
  t.equal(raw.headers['set-cookie'], undefined)
  const arrays = await browser.get(`/oauth/callback?code=${code}&state=a&state=b`)
  t.equal(arrays.statusCode, 400, 'a repeated parameter')
  const badCode = await browser.get(`/oauth/callback?code=${encodeURIComponent('<x>\r\n')}&state=abc`)
  t.equal(badCode.statusCode, 400, 'a code with spaces or controls is not sent upstream')
  t.equal(platform.state.callCount(EXCHANGE_PATH), 0)
})
