import { test } from 'tap'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { FAN, webApp } from '../../helpers/web-app.js'
import { createBrowser, type WebBrowser } from '../../helpers/web-browser.js'
import { signIn } from '../../helpers/wechat-login.js'

async function csrfOf (browser: WebBrowser): Promise<string> {
  const page = await browser.get('/profile')
  return /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] as string
}

test('logout with the form\'s token ends the session and lands on the signed-out page', async (t) => {
  const store = createMemoryStore()
  const { app, platform } = await webApp(t, { store })
  const browser = createBrowser(app)
  await signIn(browser, platform, { openid: FAN.openid })
  const cookie = browser.cookies.get('wemp_sid') as string
  const sessionId = decodeURIComponent(cookie).split('.')[0] as string
  t.not(await store.get(`sess:${sessionId}`), null)
  const res = await browser.post('/oauth/logout', { csrf: await csrfOf(browser) })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/oauth/signed-out')
  t.match(res.headers['set-cookie'], /^wemp_sid=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/)
  t.equal(await store.get(`sess:${sessionId}`), null, 'gone from the store')
  t.equal(browser.cookies.size, 0)
  const signedOut = await browser.get('/oauth/signed-out')
  t.equal(signedOut.statusCode, 200)
  t.match(signedOut.body, '已退出登录')
  t.match(signedOut.body, 'href="/oauth/login?next=/profile"')
  t.equal((await browser.get('/profile')).statusCode, 302)
  const replayed = await app.inject({ method: 'GET', url: '/profile', headers: { cookie: `wemp_sid=${cookie}` } })
  t.equal(replayed.statusCode, 302, 'the old cookie no longer works')
})

test('logout without the right token (CSRF) → 403 page, still signed in', async (t) => {
  const { app, platform } = await webApp(t)
  const browser = createBrowser(app)
  await signIn(browser, platform, { openid: FAN.openid })
  const other = createBrowser(app)
  await signIn(other, platform, { openid: FAN.openid })
  const cases: Array<[string, () => Promise<{ statusCode: number, body: string }>]> = [
    ['no body', async () => await browser.post('/oauth/logout', {})],
    ['wrong token', async () => await browser.post('/oauth/logout', { csrf: 'x'.repeat(43) })],
    ['another session\'s token', async () => await browser.post('/oauth/logout', { csrf: await csrfOf(other) })],
    ['oversized token', async () => await browser.post('/oauth/logout', { csrf: 'x'.repeat(200) })]
  ]
  for (const [name, run] of cases) {
    const res = await run()
    t.equal(res.statusCode, 403, name)
    t.match(res.body, '页面已过期', name)
  }
  t.equal((await browser.get('/profile')).statusCode, 200, 'still signed in')
  const huge = await browser.post('/oauth/logout', { csrf: 'x'.repeat(5000) })
  t.equal(huge.statusCode, 413, 'form bodies are capped small')
})

test('logout with no session → the signed-out page, nothing else happens', async (t) => {
  const { app } = await webApp(t)
  const res = await createBrowser(app).post('/oauth/logout', { csrf: 'whatever' })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/oauth/signed-out')
  t.equal(res.headers['set-cookie'], undefined)
})

test('with an https PUBLIC_URL, logout clears the Secure __Host- cookie', async (t) => {
  const { app, platform } = await webApp(t, { config: { publicUrl: 'https://wemp.example.com' } })
  const browser = createBrowser(app, { host: 'wemp.example.com', 'x-forwarded-proto': 'https' })
  await signIn(browser, platform, { openid: FAN.openid })
  t.ok(browser.cookies.has('__Host-wemp_sid'))
  t.equal((await browser.get('/profile')).statusCode, 200)
  const res = await browser.post('/oauth/logout', { csrf: await csrfOf(browser) })
  t.match(res.headers['set-cookie'], /^__Host-wemp_sid=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax$/)
})
