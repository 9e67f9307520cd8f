import { test } from 'tap'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { WeChatApiError } from '../../../src/wechat-api/wechat-api-error.js'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const STABLE = '/cgi-bin/stable_token'
const CLASSIC = '/cgi-bin/token'

test('a cold cache and 40 concurrent callers on two instances cause exactly one token fetch', async (t) => {
  const platform = await startPlatform(t)
  const store = createMemoryStore()
  const first = apiFor(platform, { store })
  const second = apiFor(platform, { store })
  const tokens = await Promise.all(Array.from({ length: 40 }, async (_, i) => await (i % 2 === 0 ? first : second).api.accessToken()))
  t.equal(platform.state.callCount(STABLE), 1)
  t.equal(new Set(tokens).size, 1, 'everyone got the same token')
  t.equal(platform.state.credentials.check(tokens[0]), undefined, 'and the platform accepts it')
  t.equal(first.counters.tokenFetches + second.counters.tokenFetches, 1)
  t.equal(await store.get('wechat:wx0123456789abcdef:access-token:lock'), null, 'the lock was released')
})

test('the cached token is reused until it leaves the store', async (t) => {
  const platform = await startPlatform(t)
  let now = 1_000_000
  const { api } = apiFor(platform, { store: createMemoryStore({ now: () => now }) })
  const token = await api.accessToken()
  now += 7200_000 - 300_000 - 1
  t.equal(await api.accessToken(), token, 'still cached just before expiry minus the margin')
  t.equal(platform.state.callCount(STABLE), 1)
  now += 1
  await api.accessToken()
  t.equal(platform.state.callCount(STABLE), 2, 'fetched again once the cache entry expired')
})

test('the stable API is the default and sends force_refresh false; classic uses GET /cgi-bin/token', async (t) => {
  const platform = await startPlatform(t)
  const stable = apiFor(platform)
  const classic = apiFor(platform, { tokenApi: 'classic' })
  const stableToken = await stable.api.accessToken()
  const classicToken = await classic.api.accessToken()
  t.equal(platform.state.callCount(STABLE), 1)
  t.equal(platform.state.callCount(CLASSIC), 1)
  t.not(stableToken, classicToken)
  // A force_refresh would have killed the previous stable token; a normal call returns it again.
  const again = apiFor(platform)
  t.equal(await again.api.accessToken(), stableToken, 'stable_token hands out the same token to another store')
})

test('a wrong appsecret rejects with 40125 and the secret appears nowhere in the error', async (t) => {
  const platform = await startPlatform(t)
  const { api, counters } = apiFor(platform, { appSecret: 'wrong-secret-0000000000000000000' })
  const error = await api.accessToken().catch((e: unknown) => e)
  t.ok(error instanceof WeChatApiError)
  t.match(error, { kind: 'api', errcode: 40125, path: STABLE })
  t.notMatch((error as Error).message, /wrong-secret|c0ffee/)
  t.same(counters.errors, [40125])
  t.equal(counters.tokenFetches, 0)
})

for (const [errcode, cooldown] of [[-1, '10 s'], [45009, '60 s'], [45011, '60 s'], [40164, '60 s'], [40013, '60 s'], [40243, '60 s']] as const) {
  test(`errcode ${errcode} on the token endpoint: no retry storm for ${cooldown}, across instances`, async (t) => {
    const platform = await startPlatform(t)
    let now = 1_000_000
    const store = createMemoryStore({ now: () => now })
    const first = apiFor(platform, { store })
    const second = apiFor(platform, { store })
    platform.state.failNext(STABLE, { errcode, errmsg: 'upstream trouble' })
    const results = await Promise.allSettled(Array.from({ length: 20 }, async (_, i) => await (i % 2 === 0 ? first : second).api.accessToken()))
    t.equal(platform.state.callCount(STABLE), 1, 'one call reached WeChat')
    for (const result of results) {
      t.match(result, { status: 'rejected', reason: { kind: 'api', errcode } })
    }
    t.match(await rejectionOf(first.api.accessToken()), { errcode, message: /cooling down/ }, 'later calls reject fast')
    t.equal(platform.state.callCount(STABLE), 1)
    now += errcode === -1 ? 10_000 : 60_000
    t.ok(await second.api.accessToken(), 'after the cool-down the endpoint is called again')
    t.equal(platform.state.callCount(STABLE), 2)
  })
}

test('a bad-response error (no access_token in the JSON) is not cooled down', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  platform.state.failNext(STABLE, { body: '{"expires_in":7200}', contentType: 'application/json' })
  t.match(await rejectionOf(api.accessToken()), { kind: 'bad-response', message: /no access_token/ })
  t.ok(await api.accessToken())
  t.equal(platform.state.callCount(STABLE), 2)
})

test('a transport failure cools down briefly so waiters do not each call in turn', async (t) => {
  const platform = await startPlatform(t)
  let now = 1_000_000
  const { api } = apiFor(platform, { store: createMemoryStore({ now: () => now }) })
  platform.state.failNext(STABLE, { html: '<html>502 Bad Gateway</html>' })
  t.match(await rejectionOf(api.accessToken()), { kind: 'non-json' })
  t.match(await rejectionOf(api.accessToken()), { kind: 'non-json', message: /cooling down/ })
  now += 2_000
  t.ok(await api.accessToken())
  t.equal(platform.state.callCount(STABLE), 2)
})
