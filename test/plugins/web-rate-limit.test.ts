import { Redis } from 'ioredis'
import { test } from 'tap'
import { textPush } from '../fixtures/pushes.js'
import { untilReady } from '../helpers/app-ready.js'
import { build } from '../helpers/build.js'
import { startPrivateRedis } from '../helpers/private-redis.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../helpers/redis.js'
import { signedUrl } from '../helpers/wechat-request.js'

const LIMIT = { webRateLimitMax: 3, webRateLimitWindowSeconds: 60 }
const from = (ip: string) => ({ 'x-forwarded-for': ip })

test('past the limit a client gets a 429 page with Retry-After; another client, route or /wechat is not limited', async (t) => {
  const logLines: string[] = []
  const app = await build(t, { config: LIMIT, logLines })
  const login = async (ip: string, url = '/oauth/login') => await app.inject({ method: 'GET', url, headers: from(ip) })
  for (let i = 0; i < 3; i++) t.equal((await login('203.0.113.7')).statusCode, 302, `request ${i + 1} of 3`)

  const refused = await login('203.0.113.7')
  t.equal(refused.statusCode, 429)
  t.match(refused.headers['content-type'], /^text\/html/)
  t.match(refused.body, /操作太频繁/)
  t.match(refused.body, /href="\/oauth\/login\?next=\/profile"/, 'its button starts the sign-in again')
  const retryAfter = Number(refused.headers['retry-after'])
  t.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter} s, within the window`)

  t.equal((await login('198.51.100.9')).statusCode, 302, 'another address has its own count')
  t.equal((await login('203.0.113.7', '/profile')).statusCode, 302, 'another route has its own count')
  for (let i = 0; i < 3; i++) t.equal((await login('203.0.113.7', '/accounts/default/oauth/login')).statusCode, 302, 'the account-prefixed route has its own count')
  const accountRefused = await login('203.0.113.7', '/accounts/default/oauth/login')
  t.equal(accountRefused.statusCode, 429)
  t.match(accountRefused.body, /href="\/accounts\/default\/oauth\/login\?next=\/accounts\/default\/profile"/, 'its button is the account\'s sign-in')
  for (let i = 0; i < 6; i++) {
    const push = await app.inject({ method: 'POST', url: signedUrl({ token: 'testtoken123' }), headers: { 'content-type': 'text/xml', ...from('203.0.113.7') }, payload: textPush({ msgId: String(7000 + i) }) })
    t.equal(push.statusCode, 200, `push ${i + 1}: /wechat is never rate limited`)
  }
  t.equal((await login('203.0.113.7', '/healthz')).statusCode, 200)
  for (let i = 0; i < 5; i++) t.equal((await login('203.0.113.7', '/static/profile-location.js')).statusCode, 200, 'an unmarked web route is not limited')
  t.ok(logLines.some((line) => line.includes('web request rate limited') && line.includes('"route":"/oauth/login"')), 'the refusal is logged with its route')
})

test('the callback and the JSON routes: 429 without the query in any log line; JSON for the page\'s scripts', async (t) => {
  const logLines: string[] = []
  const app = await build(t, { config: LIMIT, logLines })
  const ip = from('203.0.113.8')
  for (let i = 0; i < 4; i++) await app.inject({ method: 'GET', url: `/oauth/callback?code=SECRETCODE${i}&state=abc`, headers: ip })
  const callback = await app.inject({ method: 'GET', url: '/oauth/callback?code=SECRETCODE9&state=abc', headers: ip })
  t.equal(callback.statusCode, 429)
  t.match(callback.body, /操作太频繁/)

  for (let i = 0; i < 3; i++) t.equal((await app.inject({ method: 'GET', url: '/jssdk/config?url=https://elsewhere.example/', headers: ip })).statusCode, 400)
  const jssdk = await app.inject({ method: 'GET', url: '/jssdk/config?url=https://elsewhere.example/', headers: ip })
  t.equal(jssdk.statusCode, 429)
  t.same(jssdk.json(), { error: 'too many requests', retryAfterSeconds: Number(jssdk.headers['retry-after']) })

  for (let i = 0; i < 3; i++) t.equal((await app.inject({ method: 'POST', url: '/accounts/default/profile/location', headers: ip, payload: {} })).statusCode, 401)
  const location = await app.inject({ method: 'POST', url: '/accounts/default/profile/location', headers: ip, payload: {} })
  t.equal(location.statusCode, 429)
  t.equal(location.json().error, 'too many requests')

  t.same(logLines.filter((line) => line.includes('SECRETCODE')), [], 'no line carries an OAuth code')
  t.ok(logLines.some((line) => line.includes('web request rate limited') && line.includes('"route":"/accounts/:account/profile/location"')))
})

test('WEB_RATE_LIMIT_MAX=0: no limit', async (t) => {
  const app = await build(t, { config: { webRateLimitMax: 0 } })
  for (let i = 0; i < 8; i++) t.equal((await app.inject({ method: 'GET', url: '/oauth/login', headers: from('203.0.113.9') })).statusCode, 302)
})

test('two instances on one Redis share the count', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const redisKeyPrefix = uniqueKeyPrefix('rate-limit')
  t.teardown(() => deleteKeysWithPrefix(url, redisKeyPrefix))
  const [first, second] = [await build(t, { config: { ...LIMIT, redisUrl: url, redisKeyPrefix } }), await build(t, { config: { ...LIMIT, redisUrl: url, redisKeyPrefix } })]
  await untilReady(first)
  await untilReady(second)
  const login = async (app: typeof first) => (await app.inject({ method: 'GET', url: '/oauth/login', headers: from('203.0.113.10') })).statusCode
  t.same([await login(first), await login(second), await login(first)], [302, 302, 302])
  t.equal(await login(second), 429, 'the fourth request, on the other instance, is over the shared limit')

  const redis = new Redis(url)
  t.teardown(() => redis.disconnect())
  const key = `${redisKeyPrefix}rate-limit:GET /oauth/login|203.0.113.10`
  t.equal(await redis.get(key), '4', 'the count lives in Redis under the instance\'s prefix')
  const ttl = await redis.pttl(key)
  t.ok(ttl > 0 && ttl <= 60_000, 'and expires with the window')
})

test('Redis down: limited pages are served uncounted, with a log line, never a 500', async (t) => {
  const redis = await startPrivateRedis(t)
  const logLines: string[] = []
  const app = await build(t, { config: { ...LIMIT, redisUrl: redis.url, redisKeyPrefix: 'wemp-test:rate-limit-down:' }, logLines })
  await untilReady(app)
  await redis.kill()
  for (let i = 0; i < 5; i++) {
    const profile = await app.inject({ method: 'GET', url: '/profile', headers: from('203.0.113.11') })
    t.equal(profile.statusCode, 302, `request ${i + 1}: off to sign in, as without a limit`)
  }
  t.ok(logLines.some((line) => line.includes('rate-limit store failed; request let through uncounted')))
})
