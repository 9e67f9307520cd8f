import { Redis } from 'ioredis'
import { test } from 'tap'
import { APP_ID, APP_SECRET, startPlatform } from '../../fixtures/platform-fixture.js'
import { untilReady } from '../../helpers/app-ready.js'
import { build } from '../../helpers/build.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../../helpers/redis.js'
import { FAN } from '../../helpers/web-app.js'
import { createBrowser } from '../../helpers/web-browser.js'
import { OAUTH_BASE, startLogin } from '../../helpers/wechat-login.js'

test('two instances on one Redis share states and sessions', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const redisKeyPrefix = uniqueKeyPrefix('web-session')
  t.teardown(() => deleteKeysWithPrefix(url, redisKeyPrefix))
  const platform = await startPlatform(t)
  const config = { appId: APP_ID, appSecret: APP_SECRET, apiBase: platform.url, oauthBase: OAUTH_BASE, redisUrl: url, redisKeyPrefix }
  const one = await build(t, { config })
  const two = await build(t, { config })
  await untilReady(one)
  await untilReady(two)

  // One browser, whose requests the load balancer spreads over both instances.
  const onOne = createBrowser(one)
  const { state } = await startLogin(onOne, 'next=/orders/5')
  const onTwo = createBrowser(two)
  for (const [name, value] of onOne.cookies) onTwo.cookies.set(name, value)
  const code = platform.state.issueCode({ openid: FAN.openid, scope: 'snsapi_userinfo' })
  const callback = await onTwo.get(`/oauth/callback?code=${code}&state=${state}`)
  t.equal(callback.statusCode, 302, 'the state minted on one is taken on two')
  t.equal(callback.headers.location, '/orders/5')
  for (const [name, value] of onTwo.cookies) onOne.cookies.set(name, value)
  const profile = await onOne.get('/profile')
  t.equal(profile.statusCode, 200, 'the session made on two is read on one')
  t.match(profile.body, FAN.nickname)

  const sessionId = decodeURIComponent(onOne.cookies.get('wemp_sid') as string).split('.')[0] as string
  const redis = new Redis(url)
  t.teardown(() => redis.disconnect())
  const ttl = await redis.pttl(`${redisKeyPrefix}sess:${sessionId}`)
  t.ok(ttl > 7 * 24 * 3600_000 - 60_000 && ttl <= 7 * 24 * 3600_000, 'in Redis under sess:<id>, expiring in 7 days')
  t.equal(await redis.exists(`${redisKeyPrefix}${APP_ID}:oauth-state:${state}`), 0, 'the state is gone once used')

  const csrf = /name="csrf" value="([^"]+)"/.exec(profile.body)?.[1] as string
  t.equal((await onTwo.post('/oauth/logout', { csrf })).statusCode, 303, 'logout on two')
  t.equal((await one.inject({ method: 'GET', url: '/profile', headers: { cookie: `wemp_sid=${onOne.cookies.get('wemp_sid') as string}` } })).statusCode, 302,
    'signed out on one as well')
  t.equal(await redis.exists(`${redisKeyPrefix}sess:${sessionId}`), 0)
})
