import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { t as tap, test, type Test } from 'tap'
import { startSandbox } from '../../../sandbox/sandbox-app.js'
import { build } from '../../helpers/build.js'
import { testConfig } from '../../helpers/config.js'
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

/** The sandbox as WeChat's OAuth, wemp listening on a known PUBLIC_URL, and a phone-sized page. */
async function signInSetup (t: Test) {
  const sandbox = await startSandbox({ ...SHARED, mode: 'plain', serverUrl: 'http://127.0.0.1:9/wechat' })
  t.teardown(() => sandbox.close())
  const port = await freePort()
  const publicUrl = `http://127.0.0.1:${port}`
  const wemp = await build(t, { config: testConfig({ apiBase: sandbox.url, oauthBase: sandbox.url, publicUrl }) })
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
  await keepScreenshot(page, 'profile-page.png')
  t.equal(sandbox.state.callCount('/sns/oauth2/access_token'), 1)
  t.equal(sandbox.state.callCount('/sns/userinfo'), 1)
})

test('web authorization refused: wemp gets only the state', async (t) => {
  const { sandbox, publicUrl, page } = await signInSetup(t)
  await page.goto(`${publicUrl}/oauth/login?scope=snsapi_userinfo`)
  await page.click('#deny')
  await page.waitForURL((url) => url.origin === publicUrl)
  t.equal(sandbox.state.callCount('/sns/oauth2/access_token'), 0, 'no code, nothing to exchange')
  t.notMatch(await page.textContent('body'), /王芳|小明/)
})
