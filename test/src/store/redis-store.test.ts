import net from 'node:net'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'tap'
import { Redis } from 'ioredis'
import { createRedisStore, reconnectDelayMs, ttlToPx } from '../../../src/store/redis-store.js'
import type { RedisStore, RedisStoreLogger } from '../../../src/store/redis-store.js'
import {
  deleteKeysWithPrefix, redactedRedisUrl, redisReachable, redisUrl, redisUrlOrSkip, uniqueKeyPrefix
} from '../../helpers/redis.js'
import { storeContract } from './store-contract.js'

/** Nothing listens on port 1, so connects are refused at once: a "Redis is down" stand-in. */
const DEAD_URL = 'redis://:s3cret-pw@127.0.0.1:1'
/** A hang guard, not a speed target: a hung call would take the test's whole timeout. */
const FAIL_FAST_MS = 2000

interface WarnCall { obj: object, msg: string }
function recordingLogger (): { warn: (obj: object, msg: string) => void, calls: WarnCall[] } {
  const calls: WarnCall[] = []
  return { calls, warn: (obj, msg) => { calls.push({ obj, msg }) } }
}

async function timed<T> (work: Promise<T>): Promise<{ ms: number, error: unknown }> {
  const start = performance.now()
  try {
    await work
    return { ms: performance.now() - start, error: undefined }
  } catch (error) {
    return { ms: performance.now() - start, error }
  }
}

/**
 * Commands reject until the first connect completes (no offline queue), so tests — like the
 * server at boot — wait for readiness before using a store.
 */
async function connected (s: RedisStore): Promise<RedisStore> {
  if (!await waitFor(() => s.ping(), FAIL_FAST_MS)) throw new Error('store never became ready')
  return s
}

async function waitFor (condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await condition()) return true
    await sleep(50)
  }
  return false
}

/**
 * A TCP proxy in front of the real Redis that can freeze (stop reading: Redis looks hung,
 * like DEBUG SLEEP, without stalling the Redis other test files share) or go down and come back.
 */
async function redisProxy (url: string): Promise<{
  url: string
  freeze: () => void
  down: () => Promise<void>
  up: () => Promise<void>
}> {
  const target = new URL(url)
  const sockets = new Set<net.Socket>()
  let frozen = false
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => {})
      s.on('close', () => { sockets.delete(s); client.destroy(); upstream.destroy() })
    }
    if (frozen) client.pause()
    client.pipe(upstream)
    upstream.pipe(client)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as net.AddressInfo).port
  const proxied = new URL(url)
  proxied.hostname = '127.0.0.1'
  proxied.port = String(port)
  return {
    url: proxied.toString(),
    freeze () {
      frozen = true
      for (const s of sockets) s.pause()
    },
    async down () {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    async up () {
      server.listen(port, '127.0.0.1')
      await once(server, 'listening')
    }
  }
}

test('against a real Redis', async (t) => {
  const found = await redisUrlOrSkip(t)
  if (found === undefined) return
  const url = found
  const raw = new Redis(url)
  const prefixes: string[] = []
  function prefix (label: string): string {
    const p = uniqueKeyPrefix(label)
    prefixes.push(p)
    return p
  }
  t.teardown(async () => {
    for (const p of prefixes) await deleteKeysWithPrefix(url, p)
    raw.disconnect()
  })
  async function store (keyPrefix: string, extra: { url?: string, logger?: RedisStoreLogger } = {}): Promise<RedisStore> {
    const s = createRedisStore({ url: extra.url ?? url, keyPrefix, logger: extra.logger })
    t.teardown(() => s.close())
    return await connected(s)
  }

  t.test('the Redis store honours the Store contract', async (t) => {
    storeContract(t, async () => ({
      store: await connected(createRedisStore({ url, keyPrefix: prefix('contract') })),
      elapse: async (ms) => { await sleep(ms) }
    }))
  })

  t.test('keys live under keyPrefix, the Lua compare-and-delete included', async (t) => {
    const p = prefix('prefix')
    const s = await store(p)
    await s.set('k', 'v', 60_000)
    t.equal(await raw.get(`${p}k`), 'v', 'stored under the prefix')
    t.equal(await raw.exists('k'), 0, 'not at the bare key')
    await raw.set(`${p}bare`, 'v', 'PX', 60_000)
    t.equal(await s.deleteIfEquals('bare', 'v'), true, 'the script sees the prefixed key')
    t.equal(await raw.exists(`${p}bare`), 0)
    await raw.set(`${p}lease`, 'v', 'PX', 1000)
    t.equal(await s.renewIfEquals('lease', 'v', 60_000.4), true, 'the renewal script sees the prefixed key')
    const renewed = await raw.pttl(`${p}lease`)
    t.ok(renewed > 59_000 && renewed <= 60_001, `renewed PTTL ${renewed}, rounded up`)
  })

  t.test('the default keyPrefix is wemp:', async (t) => {
    const s = createRedisStore({ url })
    t.teardown(() => s.close())
    await connected(s)
    const key = `${uniqueKeyPrefix('default')}k`
    await s.set(key, 'v', 5_000)
    t.equal(await raw.get(`wemp:${key}`), 'v')
    await s.delete(key)
  })

  t.test('set and setIfAbsent write PX TTLs rounded up to whole milliseconds', async (t) => {
    const p = prefix('ttl')
    const s = await store(p)
    await s.set('a', 'v', 1500.2)
    const a = await raw.pttl(`${p}a`)
    t.ok(a > 1400 && a <= 1501, `set PTTL ${a}`)
    t.equal(await s.setIfAbsent('b', 'v', 2000.5), true)
    const b = await raw.pttl(`${p}b`)
    t.ok(b > 1900 && b <= 2001, `setIfAbsent PTTL ${b}`)
    await t.rejects(s.set('c', 'v', Number.POSITIVE_INFINITY), RangeError, 'no key without an expiry')
    t.equal(await raw.exists(`${p}c`), 0)
  })

  t.test('two instances on one prefix share keys, claims and single-use values', async (t) => {
    const p = prefix('instances')
    const a = await store(p)
    const b = await store(p)
    const other = await store(prefix('other'))
    await a.set('shared', 'from-a', 60_000)
    t.equal(await b.get('shared'), 'from-a')
    t.equal(await other.get('shared'), null, 'another prefix is another namespace')
    const claims = await Promise.all(Array.from({ length: 20 }, async (_, i) =>
      await (i % 2 === 0 ? a : b).setIfAbsent('dedup:appid:openid:9007199254740993', 'processing', 30_000)))
    t.equal(claims.filter(Boolean).length, 1, 'one claim across both instances (docs/security.md B 16)')
    await b.set('state', 'nonce', 60_000)
    const takes = await Promise.all(Array.from({ length: 10 }, async (_, i) => await (i % 2 === 0 ? a : b).getAndDelete('state')))
    t.same(takes.filter((v) => v !== null), ['nonce'])
    await a.set('lock', 'a-token', 60_000)
    t.equal(await b.deleteIfEquals('lock', 'b-token'), false)
    t.equal(await b.deleteIfEquals('lock', 'a-token'), true)
  })

  t.test('ping is true while Redis answers; after close commands reject and ping is false', async (t) => {
    const s = createRedisStore({ url, keyPrefix: prefix('close') })
    t.equal(await waitFor(() => s.ping(), FAIL_FAST_MS), true)
    await s.close()
    t.equal(await s.ping(), false)
    await t.rejects(s.get('k'))
  })

  t.test('a hung Redis fails commands at commandTimeout; close still finishes', async (t) => {
    const proxy = await redisProxy(url)
    t.teardown(() => proxy.down())
    const logger = recordingLogger()
    const s = createRedisStore({ url: proxy.url, keyPrefix: prefix('hung'), commandTimeoutMs: 200, logger })
    t.ok(await waitFor(() => s.ping(), FAIL_FAST_MS), 'ready through the proxy')
    proxy.freeze()
    const get = await timed(s.get('k'))
    t.match(get.error, { message: /timed out/ }, 'rejects with a timeout')
    t.ok(get.ms >= 150 && get.ms < FAIL_FAST_MS, `rejected after ${Math.round(get.ms)} ms`)
    t.equal(await s.ping(), false, 'not ready while hung')
    const close = await timed(s.close())
    t.equal(close.error, undefined, 'close resolves although QUIT times out')
    t.ok(close.ms < FAIL_FAST_MS, `closed in ${Math.round(close.ms)} ms`)
  })

  t.test('Redis going away: fail fast, warn once per outage, reconnect when it returns', async (t) => {
    const proxy = await redisProxy(url)
    t.teardown(() => proxy.down())
    const logger = recordingLogger()
    const s = await store(prefix('outage'), { url: proxy.url, logger })
    await s.set('k', 'before', 60_000)

    await proxy.down()
    await sleep(700) // long enough for several reconnect attempts
    const set = await timed(s.set('k', 'during', 60_000))
    t.ok(set.error instanceof Error, 'set rejects while down')
    t.ok(set.ms < FAIL_FAST_MS, `in ${Math.round(set.ms)} ms`)
    t.equal(await s.ping(), false)
    t.equal(logger.calls.length, 1, 'one warning for the whole outage')

    await proxy.up()
    t.ok(await waitFor(() => s.ping(), 5000), 'ping recovers once Redis is back')
    t.equal(await s.get('k'), 'before', 'data written before the outage is still there')

    await proxy.down()
    await sleep(300)
    t.equal(logger.calls.length, 2, 'a new outage warns again')
  })
})

test('Redis down (nothing listening): every call rejects fast, ping is false, no crash', async (t) => {
  const logger = recordingLogger()
  const s = createRedisStore({ url: DEAD_URL, keyPrefix: uniqueKeyPrefix('dead'), logger })
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['get', () => s.get('k')],
    ['set', () => s.set('k', 'v', 1000)],
    ['setIfAbsent', () => s.setIfAbsent('k', 'v', 1000)],
    ['getAndDelete', () => s.getAndDelete('k')],
    ['delete', () => s.delete('k')],
    ['deleteIfEquals', () => s.deleteIfEquals('k', 'v')],
    ['renewIfEquals', () => s.renewIfEquals('k', 'v', 1000)]
  ]
  for (const [name, call] of calls) {
    const { ms, error } = await timed(call())
    t.ok(error instanceof Error, `${name} rejects`)
    t.ok(ms < FAIL_FAST_MS, `${name} settled in ${Math.round(ms)} ms`)
  }
  const ping = await timed(s.ping())
  t.ok(ping.ms < FAIL_FAST_MS)
  t.equal(await s.ping(), false)
  await sleep(400) // several refused reconnects
  t.equal(logger.calls.length, 1, 'warned once, not per reconnect attempt')
  t.match(logger.calls[0], { obj: { code: 'ECONNREFUSED' }, msg: /unavailable/ })
  t.notMatch(JSON.stringify(logger.calls), /s3cret/, 'the password in the URL is never logged')
  const close = await timed(s.close())
  t.equal(close.error, undefined, 'close resolves (QUIT fails, disconnect)')
  t.ok(close.ms < FAIL_FAST_MS)
})

test('Redis down without a logger: errors are still handled, nothing printed', async (t) => {
  const printed: unknown[] = []
  const original = console.error
  console.error = (...args: unknown[]) => { printed.push(args) }
  t.teardown(() => { console.error = original })
  const s = createRedisStore({ url: DEAD_URL, connectTimeoutMs: 300 })
  t.equal(await s.ping(), false)
  await sleep(300)
  await s.close()
  t.same(printed, [], 'no "[ioredis] Unhandled error event" output')
})

test('ttlToPx: integer milliseconds, at least 1, rounded up; non-finite refused', async (t) => {
  t.equal(ttlToPx(50), 50)
  t.equal(ttlToPx(1.2), 2)
  t.equal(ttlToPx(0.2), 1)
  t.equal(ttlToPx(0), 1)
  t.equal(ttlToPx(-5), 1)
  t.throws(() => ttlToPx(Number.NaN), RangeError)
  t.throws(() => ttlToPx(Number.POSITIVE_INFINITY), RangeError)
})

test('reconnectDelayMs backs off and caps at 2 s', async (t) => {
  t.equal(reconnectDelayMs(1), 100)
  t.equal(reconnectDelayMs(2), 200)
  t.ok(reconnectDelayMs(3) > reconnectDelayMs(2))
  t.equal(reconnectDelayMs(10), 2000)
  t.equal(reconnectDelayMs(1_000_000), 2000, 'no overflow on a long outage')
})

test('test helper: URL lookup, redaction, skip vs CI failure', async (t) => {
  t.equal(redisUrl({}), 'redis://127.0.0.1:6379')
  t.equal(redisUrl({ REDIS_URL: 'redis://example:7000/2' }), 'redis://example:7000/2')
  t.equal(redactedRedisUrl('redis://user:pw@host:7000/1'), 'host:7000')
  t.equal(redactedRedisUrl('redis://host'), 'host:6379')
  t.equal(redactedRedisUrl('not a url'), '(unparsable REDIS_URL)')
  t.equal(await redisReachable(DEAD_URL), false)

  const seen: string[] = []
  const recorder = {
    pass: (m: string, extra: { skip: string }) => seen.push(`skip ${m}: ${extra.skip}`),
    fail: (m: string) => seen.push(`fail ${m}`)
  }
  t.equal(await redisUrlOrSkip(recorder, { REDIS_URL: DEAD_URL }), undefined)
  t.equal(await redisUrlOrSkip(recorder, { REDIS_URL: DEAD_URL, CI: 'true' }), undefined)
  t.match(seen, [/^skip needs Redis: Redis unreachable at 127\.0\.0\.1:1/, /^fail .*CI is set/])
  t.notMatch(seen.join(), /s3cret/, 'no password in the message')
})
