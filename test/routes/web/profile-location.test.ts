import { test } from 'tap'
import type { AccountSettings } from '../../../src/accounts/account-settings.js'
import { shanghaiDate } from '../../../src/weather/day-parse.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import type { Store } from '../../../src/store/store.js'
import { APP_ID, APP_SECRET } from '../../fixtures/platform-fixture.js'
import { textPush } from '../../fixtures/pushes.js'
import { FAN, webApp } from '../../helpers/web-app.js'
import { createBrowser, type WebBrowser } from '../../helpers/web-browser.js'
import { signIn } from '../../helpers/wechat-login.js'
import { signedUrl } from '../../helpers/wechat-request.js'
import { dailyBody, json, refusedBaseUrl, sixteenDays, startFakeOpenMeteo, type FakeOpenMeteo } from '../../src/weather/fake-open-meteo.js'

interface Teardown { teardown(fn: () => unknown): void }

const CHENGDU = { latitude: 30.572815, longitude: 104.066801 }

/** The fake provider's sixteen days, dated from today in Shanghai: today is 晴, 0–10°C. */
async function openMeteoFromToday (t: Teardown): Promise<FakeOpenMeteo> {
  const today = Date.parse(shanghaiDate(new Date()))
  const rows = sixteenDays().map((row, i) => ({ ...row, date: new Date(today + i * 86_400_000).toISOString().slice(0, 10) }))
  const fake = await startFakeOpenMeteo(json(dailyBody(rows)))
  t.teardown(() => fake.close())
  return fake
}

async function csrfOf (browser: WebBrowser, profile = '/profile'): Promise<string> {
  return /data-csrf="([^"]+)"/.exec((await browser.get(profile)).body)?.[1] as string
}

async function signedInApp (t: Teardown, options: { store?: Store, weatherApiBase?: string } = {}) {
  const store = options.store ?? createMemoryStore()
  const weatherApiBase = options.weatherApiBase ?? (await openMeteoFromToday(t)).baseUrl
  const { app, platform } = await webApp(t, { store, config: { weatherApiBase } })
  const browser = createBrowser(app)
  await signIn(browser, platform, { openid: FAN.openid })
  return { app, platform, store, browser, csrf: await csrfOf(browser) }
}

test('a point from the page: its nearest city, today\'s weather there, remembered as the fan\'s last location', async (t) => {
  const fake = await openMeteoFromToday(t)
  const store = createMemoryStore()
  const { app, browser, csrf } = await signedInApp(t, { store, weatherApiBase: fake.baseUrl })
  const before = Date.now()
  const res = await browser.postJson('/profile/location', { ...CHENGDU, source: 'browser', csrf })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.equal(res.headers['cache-control'], 'no-store')
  t.same(res.json(), { line: '📍 成都市 · 今天 晴 0–10°C · 刚刚' })
  t.match(fake.requests.at(-1)?.query, { latitude: '30.572815', longitude: '104.066801' }, 'the weather at the point itself')

  const record = JSON.parse(await store.get(`${APP_ID}:loc:${FAN.openid}`) as string) as Record<string, unknown>
  t.same({ ...record, reportedAt: undefined }, { ...CHENGDU, source: 'browser', reportedAt: undefined }, 'under loc:<openid> in the account\'s store')
  t.ok((record.reportedAt as number) >= before && (record.reportedAt as number) <= Date.now(), 'with the time of the report')

  const page = await browser.get('/profile')
  t.match(page.body, '<p class="location-line" data-location-line>📍 成都市 · 今天 晴 0–10°C · 刚刚</p>')
  t.match(page.body, '<p class="hint" data-location-status>位置来自浏览器定位。</p>')

  // The chat's weather answers use the same last location.
  const push = await app.inject({
    method: 'POST', url: signedUrl({ token: 'testtoken123' }), headers: { 'content-type': 'text/xml' }, payload: textPush({ content: '天气', from: FAN.openid })
  })
  t.match(push.body, /<Content><!\[CDATA\[成都 今天/)

  const jssdk = await browser.postJson('/profile/location', { latitude: 39.908823, longitude: 116.39747, source: 'jssdk', csrf })
  t.same(jssdk.json(), { line: '📍 北京市 · 今天 晴 0–10°C · 刚刚' })
  t.match((await browser.get('/profile')).body, '位置来自微信定位（JS-SDK）。')
})

test('far from any city, out at sea, or the weather unavailable: the line says so, still 200', async (t) => {
  const { browser, csrf } = await signedInApp(t, { weatherApiBase: await refusedBaseUrl() })
  const sea = await browser.postJson('/profile/location', { latitude: 20, longitude: 140, source: 'browser', csrf })
  t.same(sea.json(), { line: '📍 你所在的位置（附近没有收录的城市） · 今天的天气暂时查不到 · 刚刚' })
  const far = await browser.postJson('/profile/location', { latitude: 36.5, longitude: 93.0, source: 'jssdk', csrf })
  t.match(far.json(), { line: /^📍 距 .+ 约 \d+ 公里 · 今天的天气暂时查不到 · 刚刚$/ })
})

test('bad bodies are 400 with the field named, never the value; nothing stored', async (t) => {
  const store = createMemoryStore()
  const { browser, csrf } = await signedInApp(t, { store })
  const good = { ...CHENGDU, source: 'jssdk', csrf }
  const cases: Array<[string, unknown]> = [
    ['latitude beyond 90', { ...good, latitude: 90.5 }],
    ['longitude beyond -180', { ...good, longitude: -180.000001 }],
    ['seven decimals', { ...good, latitude: 30.5728151 }],
    ['a string for a number', { ...good, longitude: '104.066801' }],
    ['no latitude', { longitude: 104.06, source: 'jssdk', csrf }],
    ['an unknown source', { ...good, source: 'gps' }],
    ['the chat\'s own source', { ...good, source: 'report' }],
    ['a field too many', { ...good, accuracy: 30 }],
    ['null coordinates', { ...good, latitude: null }]
  ]
  for (const [name, body] of cases) {
    const res = await browser.postJson('/profile/location', body)
    t.equal(res.statusCode, 400, name)
    t.match(res.json(), { error: /^(latitude|longitude|source|accuracy): / }, name)
    t.notMatch(res.body, /30\.57|104\.06|gps/, `${name}: not echoed`)
  }
  const notJson = await browser.postJson('/profile/location', `{"latitude":30.5728,"longitude":104.0668,"csrf":"${csrf}"`)
  t.equal(notJson.statusCode, 400)
  t.equal(notJson.body, 'body: not JSON', 'the parser\'s message (which quotes the body) is not passed on')
  const form = await browser.post('/profile/location', { latitude: '30.5728', longitude: '104.0668', source: 'browser', csrf })
  t.equal(form.statusCode, 400, 'a form body has strings, not numbers')
  const huge = await browser.postJson('/profile/location', { ...good, padding: 'x'.repeat(2000) })
  t.equal(huge.statusCode, 413, 'bodies are capped small')
  t.equal(await store.get(`${APP_ID}:loc:${FAN.openid}`), null)
})

test('no session → 401; a wrong, missing or another session\'s CSRF token → 403; nothing stored', async (t) => {
  const store = createMemoryStore()
  const { app, platform, browser, csrf } = await signedInApp(t, { store })
  const body = { ...CHENGDU, source: 'browser' }
  const anonymous = await createBrowser(app).postJson('/profile/location', { ...body, csrf })
  t.equal(anonymous.statusCode, 401)
  t.same(anonymous.json(), { error: 'not signed in' })
  const forged = await app.inject({ method: 'POST', url: '/profile/location', headers: { cookie: 'wemp_sid=abc.forged', 'content-type': 'application/json' }, payload: JSON.stringify({ ...body, csrf }) })
  t.equal(forged.statusCode, 401, 'a forged cookie is no session')

  const other = createBrowser(app)
  await signIn(other, platform, { openid: 'oSandboxFan00000000000000002' })
  const otherCsrf = await csrfOf(other)
  for (const [name, payload] of [['no token', body], ['a wrong token', { ...body, csrf: 'x'.repeat(43) }], ['another session\'s token', { ...body, csrf: otherCsrf }],
    ['a token of the wrong type', { ...body, csrf: 42 }], ['not an object', [csrf]], ['null', null]] as Array<[string, unknown]>) {
    const res = await browser.postJson('/profile/location', payload)
    t.equal(res.statusCode, 403, name)
    t.same(res.json(), { error: 'csrf token missing or wrong' }, name)
  }
  t.equal(await store.get(`${APP_ID}:loc:${FAN.openid}`), null)
  t.equal((await browser.postJson('/profile/location', { ...body, csrf })).statusCode, 200, 'the right token still works')
})

test('two accounts: a session with one is no session with the other, and each keeps its own fans\' locations', async (t) => {
  const fake = await openMeteoFromToday(t)
  const store = createMemoryStore()
  const news: AccountSettings = { id: 'news', token: 'newstoken1', appId: 'wxnews000000000001', appSecret: 'news-secret', messageMode: 'plain', welcomeText: 'hi' }
  const main: AccountSettings = { id: 'default', token: 'testtoken123', appId: APP_ID, appSecret: APP_SECRET, messageMode: 'plain', welcomeText: 'hi' }
  const { app, platform } = await webApp(t, { store, accounts: [main, news], config: { weatherApiBase: fake.baseUrl } })
  const browser = createBrowser(app)
  await signIn(browser, platform, { openid: FAN.openid })
  const csrf = await csrfOf(browser)
  // The browser has a part for the news account too (a sign-in begun there), but no login in it.
  t.equal((await browser.get('/accounts/news/oauth/login')).statusCode, 302)
  t.equal((await browser.get('/accounts/news/profile')).statusCode, 302, 'not signed in to news')

  const res = await browser.postJson('/accounts/news/profile/location', { ...CHENGDU, source: 'browser', csrf })
  t.equal(res.statusCode, 401, 'the default account\'s login does not count for news, nor does its token')
  t.equal(await store.get(`wxnews000000000001:loc:${FAN.openid}`), null)
  t.equal((await browser.postJson('/profile/location', { ...CHENGDU, source: 'browser', csrf })).statusCode, 200)
  t.not(await store.get(`${APP_ID}:loc:${FAN.openid}`), null, 'stored with the default account only')
  t.equal(await store.get(`wxnews000000000001:loc:${FAN.openid}`), null)
})

test('logout forgets the fan\'s last location', async (t) => {
  const store = createMemoryStore()
  const { browser, csrf } = await signedInApp(t, { store })
  t.equal((await browser.postJson('/profile/location', { ...CHENGDU, source: 'browser', csrf })).statusCode, 200)
  t.not(await store.get(`${APP_ID}:loc:${FAN.openid}`), null)
  t.equal((await browser.post('/oauth/logout', { csrf })).statusCode, 303)
  t.equal(await store.get(`${APP_ID}:loc:${FAN.openid}`), null, 'gone with the session')
})

test('the stored location expires after a day', async (t) => {
  let now = Date.now()
  const store = createMemoryStore({ now: () => now })
  const { browser, csrf } = await signedInApp(t, { store })
  await browser.postJson('/profile/location', { ...CHENGDU, source: 'browser', csrf })
  now += 24 * 3600_000 - 1000
  t.not(await store.get(`${APP_ID}:loc:${FAN.openid}`), null, 'kept for a day')
  now += 1000
  t.equal(await store.get(`${APP_ID}:loc:${FAN.openid}`), null, 'then gone')
})
