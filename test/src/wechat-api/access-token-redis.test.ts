import { setTimeout as sleep } from 'node:timers/promises'
import { test, type Test } from 'tap'
import { createRedisStore } from '../../../src/store/redis-store.js'
import type { RedisStore } from '../../../src/store/redis-store.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../../helpers/redis.js'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

interface Teardown { teardown(fn: () => unknown): void }

/** Two "instances": separate Redis connections under one key prefix, as two servers would have. */
async function twoInstanceStores (t: Teardown, url: string): Promise<[RedisStore, RedisStore]> {
  const keyPrefix = uniqueKeyPrefix('wechat-api')
  const stores: [RedisStore, RedisStore] = [createRedisStore({ url, keyPrefix }), createRedisStore({ url, keyPrefix })]
  t.teardown(async () => {
    await Promise.all(stores.map(async (store) => { await store.close() }))
    await deleteKeysWithPrefix(url, keyPrefix)
  })
  for (const store of stores) {
    // No offline queue: commands fail until connected, so wait for readiness as the server does.
    for (let i = 0; i < 100 && !await store.ping(); i++) await sleep(20)
  }
  return stores
}

/** The fake WeChat and an API client on each of two instances; undefined when Redis is skipped. */
async function twoInstances (t: Test) {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return undefined
  const platform = await startPlatform(t)
  const [a, b] = await twoInstanceStores(t, url)
  return { platform, first: apiFor(platform, { store: a }), second: apiFor(platform, { store: b }) }
}

test('Redis: 40 concurrent callers on two instances with a cold cache → one token fetch', async (t) => {
  const setup = await twoInstances(t)
  if (setup === undefined) return
  const { platform, first, second } = setup
  const tokens = await Promise.all(Array.from({ length: 40 }, async (_, i) => await (i % 2 === 0 ? first : second).api.accessToken()))
  t.equal(new Set(tokens).size, 1)
  t.equal(platform.state.callCount('/cgi-bin/stable_token'), 1)
})

test('Redis: an expired token failing 20 concurrent sends on two instances → one refresh', async (t) => {
  const setup = await twoInstances(t)
  if (setup === undefined) return
  const { platform, first, second } = setup
  platform.state.expireToken(await first.api.accessToken())
  await Promise.all(Array.from({ length: 20 }, async (_, i) => {
    await (i % 2 === 0 ? first : second).api.sendCustomText('oSandboxFan00000000000000001', `m${i}`)
  }))
  t.equal(platform.state.callCount('/cgi-bin/stable_token'), 2)
  t.equal(platform.state.messages.length, 20)
})

test('Redis: a 45009 cool-down recorded by one instance stops the other', async (t) => {
  const setup = await twoInstances(t)
  if (setup === undefined) return
  const { platform, first, second } = setup
  platform.state.failNext('/cgi-bin/stable_token', { errcode: 45009, errmsg: 'reach max api daily quota limit' })
  t.match(await rejectionOf(first.api.accessToken()), { errcode: 45009 })
  t.match(await rejectionOf(second.api.accessToken()), { errcode: 45009, message: /cooling down/ })
  t.equal(platform.state.callCount('/cgi-bin/stable_token'), 1)
})
