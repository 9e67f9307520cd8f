import { test } from 'tap'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { EXCHANGE_PATH, FAN, USERINFO_PATH, webApp } from '../../helpers/web-app.js'
import { createBrowser } from '../../helpers/web-browser.js'
import { signIn, startLogin } from '../../helpers/wechat-login.js'

test('the same code+state twice: one exchange; the signed-in browser just lands again (H 77)', async (t) => {
  const { app, platform } = await webApp(t)
  const browser = createBrowser(app)
  const login = await signIn(browser, platform, { openid: FAN.openid }, 'next=/orders/1')
  t.equal(login.callback.headers.location, '/orders/1')
  const again = await browser.get(login.callbackUrl)
  t.equal(again.statusCode, 302)
  t.equal(again.headers.location, '/orders/1')
  t.equal(again.headers['referrer-policy'], 'no-referrer')
  t.equal(platform.state.callCount(EXCHANGE_PATH), 1)
  t.equal((await browser.get('/profile')).statusCode, 200, 'still signed in')
  const stranger = await createBrowser(app).get(login.callbackUrl)
  t.equal(stranger.statusCode, 403, 'another browser replaying the URL gets nothing')
  t.equal(platform.state.callCount(EXCHANGE_PATH), 1)
})

test('two callbacks racing with the same code+state: exactly one exchange (H 77)', async (t) => {
  const { app, platform } = await webApp(t)
  const browser = createBrowser(app)
  const { state } = await startLogin(browser)
  const code = platform.state.issueCode({ openid: FAN.openid, scope: 'snsapi_userinfo' })
  const url = `/oauth/callback?code=${code}&state=${state}`
  const results = await Promise.all([browser.get(url), browser.get(url), browser.get(url)])
  t.same(results.map((r) => r.statusCode).sort(), [302, 403, 403])
  t.equal(platform.state.callCount(EXCHANGE_PATH), 1)
})

test('snapshot-page user (is_snapshotuser 1) → not signed in; asked to open the page in WeChat (H 83)', async (t) => {
  const store = createMemoryStore()
  const { app, platform } = await webApp(t, { store })
  const browser = createBrowser(app)
  const login = await signIn(browser, platform, { openid: FAN.openid, isSnapshotUser: true }, 'next=/orders/2')
  t.equal(login.callback.statusCode, 403)
  t.match(login.callback.body, '请在微信客户端内打开并授权')
  t.match(login.callback.body, 'href="/oauth/login?scope=snsapi_userinfo&amp;next=/orders/2"')
  t.notMatch(login.callback.body, FAN.openid)
  t.equal(platform.state.callCount(USERINFO_PATH), 0, 'virtual profile not even fetched')
  t.equal((await browser.get('/profile')).statusCode, 302, 'no identity kept')
  const sessionId = decodeURIComponent(browser.cookies.get('wemp_sid') as string).split('.')[0] as string
  t.notMatch(await store.get(`sess:${sessionId}`), FAN.openid, 'the virtual openid is not in the session')
})
