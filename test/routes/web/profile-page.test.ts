import { test } from 'tap'
import { shanghaiDate } from '../../../src/weather/day-parse.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import type { Store } from '../../../src/store/store.js'
import { APP_ID, APP_SECRET, startPlatform } from '../../fixtures/platform-fixture.js'
import { build } from '../../helpers/build.js'
import { PUSHES } from '../../fixtures/pushes.js'
import { FAN, webApp } from '../../helpers/web-app.js'
import { createBrowser } from '../../helpers/web-browser.js'
import { OAUTH_BASE, signIn } from '../../helpers/wechat-login.js'
import { signedUrl } from '../../helpers/wechat-request.js'
import { dailyBody, json, sixteenDays, startFakeOpenMeteo } from '../../src/weather/fake-open-meteo.js'

interface Teardown { teardown(fn: () => unknown): void }

const WECHAT_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x18003237) NetType/WIFI Language/zh_CN'
const DESKTOP_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'

async function weatherFromToday (t: Teardown): Promise<string> {
  const today = Date.parse(shanghaiDate(new Date()))
  const rows = sixteenDays().map((row, i) => ({ ...row, date: new Date(today + i * 86_400_000).toISOString().slice(0, 10) }))
  const fake = await startFakeOpenMeteo(json(dailyBody(rows)))
  t.teardown(() => fake.close())
  return fake.baseUrl
}

async function signedIn (t: Teardown, options: { store?: Store, weatherApiBase?: string } = {}) {
  const store = options.store ?? createMemoryStore()
  const weatherApiBase = options.weatherApiBase ?? await weatherFromToday(t)
  const { app, platform } = await webApp(t, { store, config: { weatherApiBase } })
  const browser = createBrowser(app)
  await signIn(browser, platform, { openid: FAN.openid })
  return { app, platform, store, browser }
}

function section (body: string): string {
  return /<section id="location"[\s\S]*?<\/section>/.exec(body)?.[0] ?? ''
}

test('without JavaScript: the location the fan reported in the chat, its city, today\'s weather, when and from where', async (t) => {
  const { app, browser } = await signedIn(t)
  const empty = section((await browser.get('/profile')).body)
  t.match(empty, '<p class="location-line" data-location-line>📍 还没有你的位置</p>')
  t.match(empty, '在公众号里发送位置')

  // 上报地理位置: WeChat pushes the LOCATION event when the fan opens the chat.
  const push = await app.inject({
    method: 'POST', url: signedUrl({ token: 'testtoken123' }), headers: { 'content-type': 'text/xml' },
    payload: PUSHES.LOCATION.replace('oFan00000000000000000000001', FAN.openid)
  })
  t.equal(push.statusCode, 200)
  const page = (await browser.get('/profile')).body
  t.match(section(page), '<p class="location-line" data-location-line>📍 广州市 · 今天 晴 0–10°C · 刚刚</p>')
  t.match(section(page), '<p class="hint" data-location-status>位置来自你在公众号里上报或发送的位置。</p>')
  t.match(section(page), /<section id="location" class="location" aria-live="polite" data-csrf="[A-Za-z0-9_-]{43}" data-jssdk-config-url="\/jssdk\/config" data-post-url="\/profile\/location">/,
    'the page script\'s contract')
  t.match(section(page), '<button class="button secondary" type="button" data-location-retry hidden>重新定位</button>')
  t.equal(/data-csrf="([^"]+)"/.exec(page)?.[1], /name="csrf" value="([^"]+)"/.exec(page)?.[1], 'the login\'s CSRF token, as the logout form\'s')
})

test('records from before sources and times were kept, and records that are not ones', async (t) => {
  const store = createMemoryStore()
  const { browser } = await signedIn(t, { store })
  await store.set(`${APP_ID}:loc:${FAN.openid}`, JSON.stringify({ latitude: 39.908823, longitude: 116.39747, label: '天安门' }), 60_000)
  const legacy = section((await browser.get('/profile')).body)
  t.match(legacy, 'data-location-line>📍 北京市 · 今天 晴 0–10°C</p>', 'no age when the record has no time')
  t.match(legacy, '位置来自你在公众号里上报或发送的位置。', 'the chat\'s report was the only writer then')
  await store.set(`${APP_ID}:loc:${FAN.openid}`, JSON.stringify({ latitude: 39.9, longitude: 116.4, source: 'gps', reportedAt: 'yesterday' }), 60_000)
  t.match(section((await browser.get('/profile')).body), 'data-location-line>📍 北京市 · 今天 晴 0–10°C</p>', 'an unknown source or time is left out')
  for (const raw of ['{not json', 'null', '7', JSON.stringify({ latitude: 91, longitude: 0 }), JSON.stringify({ latitude: '39.9', longitude: 116.4 }), JSON.stringify({ longitude: 116.4 })]) {
    await store.set(`${APP_ID}:loc:${FAN.openid}`, raw, 60_000)
    const res = await browser.get('/profile')
    t.equal(res.statusCode, 200, raw)
    t.match(section(res.body), '📍 还没有你的位置', raw)
  }
})

test('the weather provider hanging: the page waits 3 s at most and says so', async (t) => {
  const hanging = await startFakeOpenMeteo(() => { /* never answers */ })
  t.teardown(() => hanging.close())
  const store = createMemoryStore()
  const { browser } = await signedIn(t, { store, weatherApiBase: hanging.baseUrl })
  await store.set(`${APP_ID}:loc:${FAN.openid}`, JSON.stringify({ latitude: 30.57, longitude: 104.07, source: 'jssdk', reportedAt: Date.now() }), 60_000)
  const started = Date.now()
  const res = await browser.get('/profile')
  t.ok(Date.now() - started < 4500, 'answered soon after the page\'s own limit')
  t.match(section(res.body), 'data-location-line>📍 成都市 · 今天的天气暂时查不到 · 刚刚</p>')
  t.match(section(res.body), '位置来自微信定位（JS-SDK）。')
})

test('inside WeChat: WeChat\'s JS-SDK before our script, both nonce\'d, its origin named in script-src', async (t) => {
  const { browser } = await signedIn(t)
  const res = await browser.get('/profile', { 'user-agent': WECHAT_UA })
  const csp = res.headers['content-security-policy'] as string
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] as string
  t.equal(csp, "default-src 'none'; img-src https://thirdwx.qlogo.cn https://wx.qlogo.cn https://mmbiz.qpic.cn; " +
    `style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}' https://res.wx.qq.com; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`)
  const tags = res.body.match(/<script\b[^>]*>/g)
  t.same(tags, [`<script nonce="${nonce}" src="https://res.wx.qq.com/open/js/jweixin-1.6.0.js">`, `<script nonce="${nonce}" src="${/src="(\/static\/profile-location\.js\?v=[0-9a-f]{16})"/.exec(res.body)?.[1] as string}">`])
  t.notMatch(res.body, /<script[^>]*>[^<]/, 'no inline code')

  const desktop = await browser.get('/profile', { 'user-agent': DESKTOP_UA })
  t.notMatch(desktop.body, 'jweixin', 'elsewhere the real SDK would only wait: the browser\'s Geolocation API instead')
  t.notMatch(desktop.headers['content-security-policy'], 'res.wx.qq.com')
  const bare = await browser.get('/profile', { 'user-agent': '' })
  t.notMatch(bare.body, 'jweixin')
})

test('the sandbox\'s stand-in SDK: loaded in any browser, and the sandbox is a connect-src', async (t) => {
  const platform = await startPlatform(t)
  // The JS-SDK is the sandbox's when the origin that answers the API serves it, as `npm run sandbox` does.
  const app = await build(t, {
    config: { appId: APP_ID, appSecret: APP_SECRET, apiBase: platform.url, oauthBase: OAUTH_BASE, weatherApiBase: await weatherFromToday(t), jssdkUrl: `${platform.url}/open/js/jweixin-1.6.0.js` }
  })
  const browser = createBrowser(app)
  await signIn(browser, platform, { openid: FAN.openid })
  for (const userAgent of [DESKTOP_UA, WECHAT_UA]) {
    const res = await browser.get('/profile', { 'user-agent': userAgent })
    const csp = res.headers['content-security-policy'] as string
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] as string
    t.match(csp, `; script-src 'nonce-${nonce}' ${platform.url}; connect-src 'self' ${platform.url}; `, userAgent)
    t.match(res.body, `<script nonce="${nonce}" src="${platform.url}/open/js/jweixin-1.6.0.js"></script>`, userAgent)
  }
})

test('error pages still run no script at all', async (t) => {
  const { browser } = await signedIn(t)
  const res = await browser.get('/oauth/callback?state=abc')
  t.equal(res.statusCode, 400)
  t.notMatch(res.headers['content-security-policy'], /script-src|connect-src/)
  t.notMatch(res.body, /<script/i)
})

test('the userinfo fields WeChat filled are shown, the emptied ones hidden', async (t) => {
  const { app, platform } = await webApp(t, { config: { weatherApiBase: await weatherFromToday(t) } })
  platform.state.addFan({ openid: 'oLegacyFan0000000000000000001', nickname: '老朋友', legacyProfile: { sex: 1, country: '中国', province: '广东', city: '深圳' } })
  const legacy = createBrowser(app)
  await signIn(legacy, platform, { openid: 'oLegacyFan0000000000000000001' })
  const page = (await legacy.get('/profile')).body
  t.match(page, /<dt>性别<\/dt>\s*<dd class="detail"><bdi>男<\/bdi><\/dd>\s*<dt>地区<\/dt>\s*<dd class="detail"><bdi>中国 广东 深圳<\/bdi><\/dd>/)

  const today = createBrowser(app)
  await signIn(today, platform, { openid: FAN.openid })
  const current = (await today.get('/profile')).body
  t.notMatch(current, /性别|地区|未知/, 'sex 0 and empty regions, as WeChat sends now: not shown')
  t.match(current, '<dt>UnionID</dt>\n<dd class="detail"><bdi>uSandboxUnion000000000000001</bdi></dd>')
})

/** The memory store, except that keys containing `part` fail as a store down would. */
function failingFor (part: string): Store {
  const store = createMemoryStore()
  const guard = <A extends unknown[], R>(call: (key: string, ...rest: A) => Promise<R>) => async (key: string, ...rest: A): Promise<R> => {
    if (key.includes(part)) throw Object.assign(new Error('connection lost'), { code: 'ECONNRESET' })
    return await call(key, ...rest)
  }
  return { ...store, get: guard(store.get), set: guard(store.set), delete: guard(store.delete) }
}

test('the forecast cache failing: the weather still comes, the failure is logged by its kind only', async (t) => {
  const logLines: string[] = []
  const { app, platform } = await webApp(t, { logLines, store: failingFor(':weather:forecast:'), config: { weatherApiBase: await weatherFromToday(t) } })
  const browser = createBrowser(app)
  await signIn(browser, platform, { openid: FAN.openid })
  const csrf = /data-csrf="([^"]+)"/.exec((await browser.get('/profile')).body)?.[1] as string
  const res = await browser.postJson('/profile/location', { latitude: 30.572815, longitude: 104.066801, source: 'browser', csrf })
  t.same(res.json(), { line: '📍 成都市 · 今天 晴 0–10°C · 刚刚' })
  const failures = logLines.filter((line) => line.includes('weather for the profile page failed')).map((line) => JSON.parse(line) as Record<string, unknown>)
  t.same(failures.map(({ stage, reason, errorType }) => ({ stage, reason, errorType })), [
    { stage: 'cache', reason: undefined, errorType: 'Error' }, { stage: 'cache', reason: undefined, errorType: 'Error' }
  ], 'reading and writing the cache')
})

test('the store holding locations down: 503, never a page that pretends there is none', async (t) => {
  const store = failingFor(':loc:')
  const { app, platform } = await webApp(t, { store, config: { weatherApiBase: await weatherFromToday(t) } })
  const browser = createBrowser(app)
  await signIn(browser, platform, { openid: FAN.openid })
  const page = await browser.get('/profile')
  t.equal(page.statusCode, 503)
  t.equal(page.body, 'internal error')
  // The page cannot render, so its CSRF token is read where the session keeps it.
  const sessionId = decodeURIComponent(browser.cookies.get('wemp_sid') as string).split('.')[0] as string
  const session = JSON.parse(await store.get(`sess:${sessionId}`) as string) as { accounts: Record<string, { login: { csrfToken: string } }> }
  const csrf = session.accounts[APP_ID]?.login.csrfToken as string
  const post = await browser.postJson('/profile/location', { latitude: 30.572815, longitude: 104.066801, source: 'browser', csrf })
  t.equal(post.statusCode, 503, 'not saved, and not answered as if it were')
  t.equal((await browser.post('/oauth/logout', { csrf })).statusCode, 503, 'nor a logout that could not forget the location')
})
