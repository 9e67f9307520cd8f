import { createHash } from 'node:crypto'
import { test } from 'tap'
import { startPlatformApi } from '../../../sandbox/platform/platform-api.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { build } from '../../helpers/build.js'
import { testConfig } from '../../helpers/config.js'
import { redisUrlOrSkip, uniqueKeyPrefix } from '../../helpers/redis.js'

const { appId, appSecret } = testConfig()
/** A request on PUBLIC_URL's origin (https://wx.example.com), as a TLS proxy forwards it. */
const ON_SITE = { host: 'wx.example.com', 'x-forwarded-proto': 'https' }

async function platform (t: { teardown(fn: () => unknown): void }) {
  const fake = await startPlatformApi({ appId, appSecret })
  t.teardown(() => fake.close())
  return fake
}

/** The official algorithm, written out here independently of src/wechat-api. */
function expectedSignature (ticket: string, nonceStr: string, timestamp: number, url: string): string {
  return createHash('sha1').update(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`).digest('hex')
}


test('wx.config values for a page on PUBLIC_URL, signed without the fragment', async (t) => {
  const fake = await platform(t)
  const store = createMemoryStore()
  const app = await build(t, { store, config: { apiBase: fake.url, publicUrl: 'https://wx.example.com' } })
  const page = 'https://wx.example.com/profile?from=menu&x=1'
  const res = await app.inject({ method: 'GET', url: `/jssdk/config?url=${encodeURIComponent(page + '#section')}`, headers: ON_SITE })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  const body = res.json() as { appId: string, timestamp: number, nonceStr: string, signature: string }
  t.equal(body.appId, appId)
  t.match(body.nonceStr, /^[0-9a-f]{24}$/)
  t.ok(Math.abs(body.timestamp - Date.now() / 1000) < 5)
  t.equal(fake.state.callCount('/cgi-bin/ticket/getticket'), 1)
  const ticket = await store.get(`${appId}:wechat:${appId}:jsapi-ticket`)
  t.ok(ticket !== null && fake.state.credentials.ticketIsValid(ticket), 'the ticket the app holds is one the platform issued')
  t.equal(body.signature, expectedSignature(ticket!, body.nonceStr, body.timestamp, page))
})

test('pages on other origins, relative URLs and credentials in the URL are refused', async (t) => {
  const fake = await platform(t)
  const app = await build(t, { config: { apiBase: fake.url, publicUrl: 'https://wx.example.com' } })
  for (const url of ['https://evil.example/x', 'http://wx.example.com/x', 'https://wx.example.com.evil.example/', '/profile', 'javascript:alert(1)', 'https://wx.example.com@evil.example/', 'https://u:p@wx.example.com/']) {
    const res = await app.inject({ method: 'GET', url: `/jssdk/config?url=${encodeURIComponent(url)}`, headers: ON_SITE })
    t.equal(res.statusCode, 400, url)
  }
  t.equal((await app.inject({ method: 'GET', url: '/jssdk/config', headers: ON_SITE })).statusCode, 400, 'url missing')
  t.equal(fake.state.callCount('/cgi-bin/ticket/getticket'), 0, 'no ticket fetched for a refused page')
})

test('WeChat failing → 502 with a plain message, never a 500', async (t) => {
  const fake = await platform(t)
  const app = await build(t, { config: { apiBase: fake.url, publicUrl: 'https://wx.example.com' } })
  fake.state.failNext('/cgi-bin/stable_token', { errcode: 40013, errmsg: 'invalid appid' })
  const res = await app.inject({ method: 'GET', url: `/jssdk/config?url=${encodeURIComponent('https://wx.example.com/')}`, headers: ON_SITE })
  t.equal(res.statusCode, 502)
  t.equal(res.body, 'WeChat is unavailable; try again')
})

test('two instances on one Redis, 40 concurrent cold requests: one token fetch, one ticket fetch', async (t) => {
  const redisUrl = await redisUrlOrSkip(t)
  if (redisUrl === undefined) return
  const fake = await platform(t)
  const config = { apiBase: fake.url, publicUrl: 'https://wx.example.com', redisUrl, redisKeyPrefix: uniqueKeyPrefix('jssdk') }
  const apps = [await build(t, { config }), await build(t, { config })]
  const url = `/jssdk/config?url=${encodeURIComponent('https://wx.example.com/a')}`
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => apps[i % 2]!.inject({ method: 'GET', url, headers: ON_SITE })))
  t.same(results.map((r) => r.statusCode), Array(40).fill(200))
  t.equal(fake.state.callCount('/cgi-bin/stable_token'), 1, 'one token fetch across both instances')
  t.equal(fake.state.callCount('/cgi-bin/ticket/getticket'), 1, 'one ticket fetch across both instances')
  const metrics = await apps[0]!.inject({ method: 'GET', url: '/metrics' })
  t.match(metrics.body, /wemp_access_token_fetches_total{account="default"} \d/)
})
