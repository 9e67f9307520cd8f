import { test } from 'tap'
import { APP_ID, APP_SECRET, startPlatform } from '../../fixtures/platform-fixture.js'
import { untilReady } from '../../helpers/app-ready.js'
import { build } from '../../helpers/build.js'
import { startPrivateRedis } from '../../helpers/private-redis.js'
import { FAN } from '../../helpers/web-app.js'
import { createBrowser } from '../../helpers/web-browser.js'
import { OAUTH_BASE, signIn } from '../../helpers/wechat-login.js'

test('Redis gone: the web pages answer 503, never sign anyone out silently, and log no session data', async (t) => {
  const redis = await startPrivateRedis(t)
  const platform = await startPlatform(t)
  const logLines: string[] = []
  const app = await build(t, {
    logLines,
    config: { appId: APP_ID, appSecret: APP_SECRET, apiBase: platform.url, oauthBase: OAUTH_BASE, redisUrl: redis.url, redisKeyPrefix: 'wemp-test:web-down:' }
  })
  await untilReady(app)
  const browser = createBrowser(app)
  const login = await signIn(browser, platform, { openid: FAN.openid })
  t.equal(login.callback.statusCode, 302)
  t.equal((await browser.get('/profile')).statusCode, 200)
  const cookie = browser.cookies.get('wemp_sid') as string
  await redis.kill()

  const profile = await browser.get('/profile')
  t.equal(profile.statusCode, 503, 'the session cannot be read: 503, not a redirect to sign in again')
  t.equal(profile.body, 'internal error')
  const fresh = await createBrowser(app).get('/oauth/login')
  t.equal(fresh.statusCode, 503, 'a state cannot be stored: 503, not a login that could never finish')
  t.equal(browser.cookies.get('wemp_sid'), cookie, 'the cookie is left alone')

  const sessionId = decodeURIComponent(cookie).split('.')[0] as string
  const leaked = logLines.filter((line) => line.includes(sessionId) || line.includes(FAN.openid) || line.includes(login.state) || line.includes('sess:'))
  t.same(leaked, [])
  t.ok(logLines.some((line) => line.includes('StoreUnavailableError')), 'the failure itself is logged')
})
