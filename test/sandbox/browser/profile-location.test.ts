import { t as tap, test } from 'tap'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { startSandbox } from '../../../sandbox/sandbox-app.js'
import { SHARED } from '../wemp-server.js'
import { keepScreenshot, launchChromium, newPage } from './chromium.js'
import { CSRF, LAST_LINE, startLocationPage } from './location-page.js'

// Chromium is slow to start on a busy machine: more than tap's 30 s per file.
tap.setTimeout(120_000)

const WANGFANG = 'oSandboxFan00000000000000002'

interface Teardown { teardown(fn: () => unknown): void }

/** A phone-sized page that remembers every console error and page error (a CSP refusal is one). */
async function phone (t: Teardown, browser: Browser, options: BrowserContextOptions = {}): Promise<{ page: Page, errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 420, height: 860 }, locale: 'zh-CN', ...options })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()) })
  page.on('pageerror', (error) => { errors.push(error.message) })
  return { page, errors }
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

async function setup (t: Teardown) {
  const sandbox = await startSandbox({ ...SHARED, mode: 'plain', serverUrl: 'http://127.0.0.1:9/wechat' })
  t.teardown(() => sandbox.close())
  const site = await startLocationPage(t, sandbox.url)
  const browser = await launchChromium(t)
  return { sandbox, site, browser }
}

test('in WeChat: a right signature, and wx.getLocation gives the place the console chose for the fan', async (t) => {
  const { sandbox, site, browser } = await setup(t)
  // The developer picks 王芳 and 广州塔 in the console, as a person would.
  const console = await newPage(browser)
  await console.goto(sandbox.url)
  await console.waitForSelector('body[data-ready="true"]')
  await console.selectOption('#fan', WANGFANG)
  await console.waitForSelector('#jssdk-state:has-text("王芳")')
  await console.selectOption('#jssdk-place', '广州塔')
  await console.waitForSelector('#jssdk-state:has-text("王芳 的 wx.getLocation 得到 广州塔")')
  t.equal(sandbox.session.currentOpenid, WANGFANG)

  const { page, errors } = await phone(t, browser)
  await page.goto(`${site.url}/profile?from=menu#location`)
  const result = await settled(page)
  t.same(result, { state: 'located', problem: null, line: '📍 广州市 · 今天 晴 12–24°C · 刚刚', status: '位置来自微信定位。' })
  t.same(site.configRequests, [`${site.url}/profile?from=menu`], 'the config asked for the page URL without its fragment')
  t.same(site.posts, [{ latitude: 23.106414, longitude: 113.324553, source: 'jssdk', csrf: CSRF, contentType: 'application/json' }])
  t.ok(await page.isHidden('[data-location-retry]'))
  t.equal(sandbox.state.callCount('/sandbox/jssdk/verify'), 1, 'wx.config was checked by the sandbox')
  t.equal(sandbox.state.callCount('/sandbox/jssdk/location'), 1)
  t.same(errors, [], 'no CSP refusal, no script error')
  await keepScreenshot(console, 'sandbox-console-jssdk.png')
})

test('in WeChat: a wrong signature or a stale ticket is the friendly config line, nothing posted', async (t) => {
  const { sandbox, site, browser } = await setup(t)
  site.settings.signUrl = `${site.url}/another-page`
  const { page, errors } = await phone(t, browser)
  await page.goto(`${site.url}/profile`)
  const wrongUrl = await settled(page)
  t.same(wrongUrl, { state: 'failed', problem: 'config', line: LAST_LINE, status: '微信定位暂时不可用（JS-SDK 配置失败），请稍后再试。' },
    'the last location stays; a short line says why')
  t.ok(await page.isVisible('[data-location-retry]'), 'and a way to try again')
  t.equal(sandbox.state.callCount('/sandbox/jssdk/verify'), 1, 'refused by the sandbox’s check')
  t.equal(sandbox.state.callCount('/sandbox/jssdk/location'), 0, 'getLocation never asked')

  // Called anyway after the refused config, the stand-in refuses as WeChat does.
  const direct = await page.evaluate(async () => {
    const wx = (window as unknown as { wx: { getLocation(o: object): void, checkJsApi(o: object): void } }).wx
    const location = await new Promise((resolve) => { wx.getLocation({ type: 'gcj02', fail: resolve }) })
    const check = await new Promise((resolve) => { wx.checkJsApi({ jsApiList: ['getLocation', 'chooseImage'], success: resolve }) })
    return { location, check }
  })
  t.same(direct, {
    location: { errMsg: 'getLocation:permission denied' },
    check: { errMsg: 'checkJsApi:ok', checkResult: { getLocation: true, chooseImage: false } }
  })
  t.equal(sandbox.state.callCount('/sandbox/jssdk/location'), 0)

  delete site.settings.signUrl
  sandbox.state.expireToken(await site.ticket())
  await page.reload()
  t.match(await settled(page), { state: 'failed', problem: 'config' }, 'signed right, but with a ticket WeChat no longer honours')
  t.same(site.posts, [])
  t.same(errors, [])
})

test('in WeChat: the fan refuses the location permission', async (t) => {
  const { sandbox, site, browser } = await setup(t)
  const console = await newPage(browser)
  await console.goto(sandbox.url)
  await console.waitForSelector('#jssdk-state:has-text("小明")')
  await console.check('#jssdk-denied')
  await console.waitForSelector('#jssdk-state:has-text("小明 拒绝了定位")')

  const { page } = await phone(t, browser)
  await page.goto(`${site.url}/profile`)
  t.same(await settled(page), { state: 'failed', problem: 'denied', line: LAST_LINE, status: '你没有允许获取位置。可以在设置中允许后点“重新定位”。' })

  // Allowed again: 重新定位 asks once more, without reloading.
  await console.uncheck('#jssdk-denied')
  await console.waitForSelector('#jssdk-state:has-text("小明 的 wx.getLocation 得到 北京天安门")')
  await page.click('[data-location-retry]')
  t.match(await settled(page), { state: 'located', line: /^📍 北京市 · 今天 晴/ })
  t.equal(site.posts.length, 1)
})

test('outside WeChat: the browser’s Geolocation API, and the page says so', async (t) => {
  const { site, browser } = await setup(t)
  site.settings.withSdk = false
  const { page, errors } = await phone(t, browser, { permissions: ['geolocation'] })
  await page.context().setGeolocation({ latitude: 30.57281549, longitude: 104.06680123 })
  await page.goto(`${site.url}/profile`)
  t.same(await settled(page), { state: 'located', problem: null, line: '📍 成都市 · 今天 晴 12–24°C · 刚刚', status: '位置来自浏览器定位（不在微信中）。' })
  t.same(site.posts, [{ latitude: 30.572815, longitude: 104.066801, source: 'browser', csrf: CSRF, contentType: 'application/json' }],
    'rounded to six decimals, as the server accepts')
  t.same(site.configRequests, [], 'no JS-SDK, no config asked')
  t.same(errors, [])
})

test('outside WeChat without the permission, and answers the page must not trust', async (t) => {
  const { site, browser } = await setup(t)
  site.settings.withSdk = false
  const refused = await phone(t, browser)
  await refused.page.goto(`${site.url}/profile`)
  t.match(await settled(refused.page), { state: 'failed', problem: 'denied', line: LAST_LINE })

  const { page } = await phone(t, browser, { permissions: ['geolocation'], geolocation: { latitude: 39.908823, longitude: 116.39747 } })
  site.settings.lineSuffix = '<img src=x id=injected>'
  await page.goto(`${site.url}/profile`)
  t.match(await settled(page), { state: 'located', line: /^📍 北京市 .*<img src=x id=injected>$/ }, 'the line is text')
  t.equal(await page.locator('#injected').count(), 0, 'no element made from it')

  site.settings.postStatus = 403
  await page.reload()
  t.same(await settled(page), { state: 'failed', problem: 'session', line: LAST_LINE, status: '页面已过期，请刷新后重试。' })
  site.settings.postStatus = 500
  await page.reload()
  t.match(await settled(page), { state: 'failed', problem: 'rejected', status: '位置没有保存成功，请稍后再试。' })
})
