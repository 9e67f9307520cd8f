import { test } from 'tap'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { APP_ID } from '../../fixtures/platform-fixture.js'
import { webApp } from '../../helpers/web-app.js'
import { createBrowser } from '../../helpers/web-browser.js'
import { OAUTH_BASE, startLogin } from '../../helpers/wechat-login.js'

test('GET /oauth/login → 302 to WeChat\'s authorize URL, parameters in WeChat\'s order', async (t) => {
  const { app } = await webApp(t, { config: { publicUrl: 'https://wemp.example.com' } })
  const login = await startLogin(createBrowser(app, { host: 'wemp.example.com', 'x-forwarded-proto': 'https' }))
  const location = login.response.headers.location as string
  t.equal(location,
    `${OAUTH_BASE}/connect/oauth2/authorize?appid=${APP_ID}&redirect_uri=https%3A%2F%2Fwemp.example.com%2Foauth%2Fcallback` +
    `&response_type=code&scope=snsapi_userinfo&state=${login.state}#wechat_redirect`)
  t.match(login.state, /^[A-Za-z0-9]{32}$/)
  t.equal(login.response.headers['referrer-policy'], 'no-referrer')
  t.equal(login.response.headers['cache-control'], 'no-store')
})

test('scope: default snsapi_userinfo, snsapi_base on request, anything else 400 with no state minted', async (t) => {
  const store = createMemoryStore()
  const { app } = await webApp(t, { store })
  const browser = createBrowser(app)
  t.equal((await startLogin(browser)).scope, 'snsapi_userinfo')
  t.equal((await startLogin(browser, 'scope=snsapi_userinfo')).scope, 'snsapi_userinfo')
  t.equal((await startLogin(browser, 'scope=snsapi_base')).scope, 'snsapi_base')
  for (const scope of ['snsapi_login', 'SNSAPI_BASE', '', 'snsapi_base%0d%0aX:1', 'snsapi_base&scope=snsapi_userinfo']) {
    const res = await browser.get(`/oauth/login?scope=${scope}`)
    t.equal(res.statusCode, 400, scope)
    t.match(res.headers['content-type'], /^text\/html/)
    t.match(res.body, /链接无效/)
    t.notMatch(res.body, /snsapi_login|SNSAPI/, 'the value is not echoed')
    t.equal(res.headers.location, undefined)
  }
  t.equal((await browser.get(`/oauth/login?next=/${'a'.repeat(2100)}`)).statusCode, 400, 'an absurd next is a 400 too')
})

test('the authorize URL comes from config, never from Host or X-Forwarded-Host (H 80)', async (t) => {
  const { app } = await webApp(t, { config: { publicUrl: 'http://localhost:3000' } })
  const login = await startLogin(createBrowser(app, { host: 'localhost:3000' }))
  t.equal(login.authorize.searchParams.get('redirect_uri'), 'http://localhost:3000/oauth/callback')
  const spoofs: Array<Record<string, string>> = [{ host: 'evil.example' }, { host: 'localhost:3000', 'x-forwarded-host': 'evil.example' }, { host: 'localhost:3000', 'x-forwarded-proto': 'https' }]
  for (const headers of spoofs) {
    const spoofed = await createBrowser(app).get('/oauth/login?scope=snsapi_base', headers)
    t.equal(spoofed.statusCode, 302, JSON.stringify(headers))
    t.equal(spoofed.headers.location, 'http://localhost:3000/oauth/login?scope=snsapi_base', 'to the same path on PUBLIC_URL, never to the spoofed origin')
    t.equal(spoofed.headers['set-cookie'], undefined, 'no session, so no state minted')
  }
})

test('each login mints a new state, kept 10 minutes with the browser binding and the clean next', async (t) => {
  const store = createMemoryStore()
  const { app } = await webApp(t, { store })
  const browser = createBrowser(app)
  const a = await startLogin(browser, 'next=/orders/7')
  const b = await startLogin(browser, 'next=https://evil.example')
  t.not(a.state, b.state)
  const recordA = JSON.parse(await store.get(`${APP_ID}:oauth-state:${a.state}`) as string) as { binding: string, next: string, scope: string }
  const recordB = JSON.parse(await store.get(`${APP_ID}:oauth-state:${b.state}`) as string) as { binding: string, next: string, scope: string }
  t.same({ next: recordA.next, scope: recordA.scope }, { next: '/orders/7', scope: 'snsapi_userinfo' })
  t.equal(recordB.next, '/profile', 'an off-site next is replaced by the default')
  t.equal(recordA.binding, recordB.binding, 'one browser, one binding')
  t.not(recordA.binding, '')
  const other = await startLogin(createBrowser(app))
  const recordOther = JSON.parse(await store.get(`${APP_ID}:oauth-state:${other.state}`) as string) as { binding: string }
  t.not(recordOther.binding, recordA.binding, 'another browser, another binding')
})

test('the session cookie: signed, HttpOnly, SameSite=Lax, 7 days; not Secure over http', async (t) => {
  const { app } = await webApp(t)
  const login = await startLogin(createBrowser(app))
  const cookie = login.response.headers['set-cookie'] as string
  t.match(cookie, /^wemp_sid=[A-Za-z0-9_-]{32}\.[A-Za-z0-9+/]{43}; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/)
  const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)?.[1] ?? '')
  t.ok(Math.abs(expires - (Date.now() + 7 * 24 * 3600_000)) < 5000, 'expires in 7 days')
})

test('with an https PUBLIC_URL the cookie is Secure and __Host- prefixed', async (t) => {
  const { app } = await webApp(t, { config: { publicUrl: 'https://wemp.example.com' } })
  const login = await startLogin(createBrowser(app, { host: 'wemp.example.com', 'x-forwarded-proto': 'https' }))
  t.match(login.response.headers['set-cookie'], /^__Host-wemp_sid=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/)
})
