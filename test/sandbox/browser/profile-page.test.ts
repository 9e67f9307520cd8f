// wemp's own profile page in Chromium, signed in through the sandbox: the location located by the
// sandbox's stand-in JS-SDK or the browser's Geolocation API, and rendered by the server without
// JavaScript. Weather from a fake Open-Meteo on loopback.
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { t as tap, test, type Test } from 'tap'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { startSandbox, type RunningSandbox } from '../../../sandbox/sandbox-app.js'
import { WECHAT_JSSDK_URL, type Config } from '../../../src/config.js'
import { shanghaiDate } from '../../../src/weather/day-parse.js'
import { PUSHES } from '../../fixtures/pushes.js'
import { build } from '../../helpers/build.js'
import { testConfig } from '../../helpers/config.js'
import { signedUrl } from '../../helpers/wechat-request.js'
import { dailyBody, json, sixteenDays, startFakeOpenMeteo } from '../../src/weather/fake-open-meteo.js'
import { SHARED } from '../wemp-server.js'
import { keepScreenshot, launchChromium, serveAvatars } from './chromium.js'

// Chromium is slow to start on a busy machine: more than tap's 30 s per file.
tap.setTimeout(180_000)

const WANGFANG = 'oSandboxFan00000000000000002'
const XIAOMING = 'oSandboxFan00000000000000001'

async function freePort (): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

interface Site {
  sandbox: RunningSandbox
  publicUrl: string
  browser: Browser
}

/**
 * The sandbox, a fake Open-Meteo whose days start today, and wemp on a known PUBLIC_URL with the
 * sandbox as WeChat (API, authorize page and, unless `jssdkUrl` says otherwise, the JS-SDK).
 */
async function setup (t: Test, config: Partial<Config> = {}): Promise<Site> {
  const port = await freePort()
  const publicUrl = `http://127.0.0.1:${port}`
  const sandbox = await startSandbox({ ...SHARED, mode: 'plain', serverUrl: `${publicUrl}/wechat` })
  t.teardown(() => sandbox.close())
  const today = Date.parse(shanghaiDate(new Date()))
  const rows = sixteenDays().map((row, i) => ({ ...row, date: new Date(today + i * 86_400_000).toISOString().slice(0, 10) }))
  const weather = await startFakeOpenMeteo(json(dailyBody(rows)))
  t.teardown(() => weather.close())
  const wemp = await build(t, {
    config: testConfig({
      apiBase: sandbox.url, oauthBase: sandbox.url, publicUrl, weatherApiBase: weather.baseUrl,
      jssdkUrl: `${sandbox.url}/open/js/jweixin-1.6.0.js`, ...config
    })
  })
  await wemp.listen({ host: '127.0.0.1', port })
  return { sandbox, publicUrl, browser: await launchChromium(t) }
}

/** A phone-sized page that remembers every console and page error (a CSP refusal is one). */
async function phone (t: Test, site: Site, options: BrowserContextOptions = {}): Promise<{ page: Page, errors: string[] }> {
  const context = await site.browser.newContext({ viewport: { width: 420, height: 860 }, locale: 'zh-CN', deviceScaleFactor: 1, ...options })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()) })
  page.on('pageerror', (error) => { errors.push(error.message) })
  await serveAvatars(page)
  return { page, errors }
}

/** Opens /profile and signs in as `openid` on the sandbox's consent page, as a person would. */
async function signInAs (page: Page, site: Site, openid: string): Promise<void> {
  await page.goto(`${site.publicUrl}/profile`)
  await page.waitForSelector('form.consent-form')
  await page.check(`input[value="${openid}"]`)
  await page.click('#allow')
  await page.waitForURL(`${site.publicUrl}/profile`)
}

async function settled (page: Page): Promise<{ state: string | null, problem: string | null, line: string | null, status: string | null }> {
  await page.waitForSelector('#location[data-state="located"], #location[data-state="failed"]')
  return {
    state: await page.getAttribute('#location', 'data-state'),
    problem: await page.getAttribute('#location', 'data-problem'),
    line: await page.textContent('[data-location-line]'),
    status: await page.textContent('[data-location-status]')
  }
}

test('signed in through the sandbox, the page shows the chosen fan\'s city and the weather there (JS-SDK stand-in)', async (t) => {
  const site = await setup(t)
  site.sandbox.session.jssdkLocations.set(WANGFANG, { place: '广州塔', denied: false })
  const { page, errors } = await phone(t, site)
  await signInAs(page, site, WANGFANG)
  t.equal(await page.textContent('.nickname'), '王芳')
  t.same(await settled(page), { state: 'located', problem: null, line: '📍 广州市 · 今天 晴 0–10°C · 刚刚', status: '位置来自微信定位。' })
  t.equal(site.sandbox.state.callCount('/sandbox/jssdk/verify'), 1, 'wx.config checked against the sandbox\'s jsapi_ticket')
  t.equal(site.sandbox.state.callCount('/cgi-bin/ticket/getticket'), 1, 'which wemp fetched to sign the page')
  t.same(errors, [], 'no CSP refusal, no script error')
  await keepScreenshot(page, 'profile-location.png')

  // Reloaded, the server already says it: the last location, from the JS-SDK.
  await page.route('**/static/profile-location.js*', (route) => route.abort())
  await page.reload()
  t.equal(await page.textContent('[data-location-line]'), '📍 广州市 · 今天 晴 0–10°C · 刚刚')
  t.equal(await page.textContent('[data-location-status]'), '位置来自微信定位（JS-SDK）。')
})

test('a wrong signature from /jssdk/config: the friendly line and a retry, nothing posted', async (t) => {
  const site = await setup(t)
  const { page, errors } = await phone(t, site)
  await page.route('**/jssdk/config?*', async (route) => {
    const answer = await route.fetch()
    const body = await answer.json() as { signature: string }
    await route.fulfill({ response: answer, json: { ...body, signature: body.signature.replace(/^./, (c) => c === '0' ? '1' : '0') } })
  })
  const posts: string[] = []
  page.on('request', (request) => { if (request.url().endsWith('/profile/location')) posts.push(request.method()) })
  await signInAs(page, site, XIAOMING)
  t.same(await settled(page), {
    state: 'failed', problem: 'config', line: '📍 还没有你的位置', status: '微信定位暂时不可用（JS-SDK 配置失败），请稍后再试。'
  })
  t.ok(await page.isVisible('[data-location-retry]'))
  t.equal(site.sandbox.state.callCount('/sandbox/jssdk/verify'), 1, 'refused by the sandbox\'s check')
  t.equal(site.sandbox.state.callCount('/sandbox/jssdk/location'), 0)
  t.same(posts, [])
  t.same(errors, [])
})

test('outside WeChat with WeChat\'s own SDK configured: no SDK, the browser\'s granted geolocation gives the city', async (t) => {
  const site = await setup(t, { jssdkUrl: WECHAT_JSSDK_URL })
  const { page, errors } = await phone(t, site, { permissions: ['geolocation'], geolocation: { latitude: 30.57281549, longitude: 104.06680123 } })
  const sdk: string[] = []
  page.on('request', (request) => { if (request.url().includes('jweixin')) sdk.push(request.url()) })
  await signInAs(page, site, XIAOMING)
  t.same(await settled(page), { state: 'located', problem: null, line: '📍 成都市 · 今天 晴 0–10°C · 刚刚', status: '位置来自浏览器定位（不在微信中）。' })
  t.same(sdk, [], 'the real SDK is not loaded outside WeChat')
  t.same(errors, [])
})

test('with JavaScript off, the location the fan last reported to the account is there', async (t) => {
  const site = await setup(t)
  // 上报地理位置: the LOCATION event for 小明, pushed to wemp's /wechat as WeChat would.
  const push = await fetch(`${site.publicUrl}${signedUrl({ token: SHARED.token })}`, {
    method: 'POST', headers: { 'content-type': 'text/xml' }, body: PUSHES.LOCATION.replace('oFan00000000000000000000001', XIAOMING)
  })
  t.equal(push.status, 200)
  const { page } = await phone(t, site, { javaScriptEnabled: false })
  await signInAs(page, site, XIAOMING)
  t.equal(await page.textContent('[data-location-line]'), '📍 广州市 · 今天 晴 0–10°C · 刚刚')
  t.equal(await page.textContent('[data-location-status]'), '位置来自你在公众号里上报或发送的位置。')
  t.equal(await page.getAttribute('#location', 'data-state'), null, 'no script ran')
  t.ok(await page.isHidden('[data-location-retry]'))
  await keepScreenshot(page, 'profile-location-no-js.png')
})
