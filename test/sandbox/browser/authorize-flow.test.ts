import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { t as tap, test, type Test } from 'tap'
import { startSandbox } from '../../../sandbox/sandbox-app.js'
import { shanghaiDate } from '../../../src/weather/day-parse.js'
import { build } from '../../helpers/build.js'
import { testConfig } from '../../helpers/config.js'
import { dailyBody, json, sixteenDays, startFakeOpenMeteo } from '../../src/weather/fake-open-meteo.js'
import { SHARED } from '../wemp-server.js'
import { keepScreenshot, launchChromium, newPage, serveAvatars } from './chromium.js'

// Chromium is slow to start on a busy machine: more than tap's 30 s per file.
tap.setTimeout(120_000)

/** A port free a moment ago: wemp's PUBLIC_URL must be known before it listens. */
async function freePort (): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/** The Shanghai date `offset` days from today, as the forecast's rows name them. */
function dayFromToday (offset: number): string {
  return new Date(Date.parse(shanghaiDate(new Date())) + offset * 86_400_000).toISOString().slice(0, 10)
}

/**
 * The sandbox as WeChat (OAuth, API and JS-SDK, as `npm start` beside `npm run sandbox` has it),
 * wemp listening on 127.0.0.1 with a known PUBLIC_URL on `host`, and a phone-sized page.
 */
async function signInSetup (t: Test, host = '127.0.0.1') {
  const sandbox = await startSandbox({ ...SHARED, mode: 'plain', serverUrl: 'http://127.0.0.1:9/wechat' })
  t.teardown(() => sandbox.close())
  const port = await freePort()
  const publicUrl = `http://${host}:${port}`
  const weather = await startFakeOpenMeteo(json(dailyBody(sixteenDays().map((row, i) => ({ ...row, date: dayFromToday(i) })))))
  t.teardown(() => weather.close())
  const wemp = await build(t, {
    config: testConfig({ apiBase: sandbox.url, oauthBase: sandbox.url, publicUrl, jssdkUrl: `${sandbox.url}/open/js/jweixin-1.6.0.js`, weatherApiBase: weather.baseUrl })
  })
  await wemp.listen({ host: '127.0.0.1', port })

  const browser = await launchChromium(t)
  const page = await newPage(browser, 420, 860)
  return { sandbox, port, publicUrl, page }
}

test('web authorization: wemp /oauth/login → the sandbox consent page → wemp /profile with the chosen fan', async (t) => {
  const { sandbox, port, publicUrl, page } = await signInSetup(t)
  await serveAvatars(page)
  await page.goto(`${publicUrl}/oauth/login?scope=snsapi_userinfo`)
  await page.waitForSelector('form.consent-form')
  t.equal(new URL(page.url()).origin, sandbox.url, 'on the sandbox authorize page')
  t.match(await page.textContent('.consent-host'), new RegExp(`网页由 127\\.0\\.0\\.1:${port} 开发`))
  await page.check('input[value="oSandboxFan00000000000000002"]')
  await keepScreenshot(page, 'sandbox-authorize.png')
  await page.click('#allow')
  await page.waitForURL(`${publicUrl}/profile`)
  t.equal(await page.textContent('.nickname'), '王芳', 'the profile shows the chosen fan')
  t.equal(await page.textContent('.openid'), 'oSandboxFan00000000000000002')
  await page.waitForSelector('#location[data-state="located"]')
  t.equal(await page.textContent('[data-location-line]'), '📍 北京市 · 今天 晴 0–10°C · 刚刚',
    'and where the fan is: the stand-in\'s first place for a fan the console never set')
  await keepScreenshot(page, 'profile-page.png')
  t.equal(sandbox.state.callCount('/sns/oauth2/access_token'), 1)
  t.equal(sandbox.state.callCount('/sns/userinfo'), 1)
})

test('opened on 127.0.0.1 while PUBLIC_URL says localhost (the defaults): sent to localhost first, and the sign-in completes', async (t) => {
  const { sandbox, port, page } = await signInSetup(t, 'localhost')
  await page.goto(`http://127.0.0.1:${port}/profile`)
  await page.waitForSelector('form.consent-form')
  t.match(await page.textContent('.consent-host'), new RegExp(`网页由 localhost:${port} 开发`), 'WeChat names PUBLIC_URL\'s host')
  await page.check('input[value="oSandboxFan00000000000000001"]')
  await page.click('#allow')
  await page.waitForURL(`http://localhost:${port}/profile`)
  t.equal(await page.textContent('.nickname'), '小明', 'signed in, not 登录链接已失效')
  t.equal(sandbox.state.callCount('/sns/oauth2/access_token'), 1)
})

test('web authorization refused: wemp gets only the state', async (t) => {
  const { sandbox, publicUrl, page } = await signInSetup(t)
  await page.goto(`${publicUrl}/oauth/login?scope=snsapi_userinfo`)
  await page.click('#deny')
  await page.waitForURL((url) => url.origin === publicUrl)
  t.equal(sandbox.state.callCount('/sns/oauth2/access_token'), 0, 'no code, nothing to exchange')
  t.notMatch(await page.textContent('body'), /王芳|小明/)
})
