import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { test } from 'tap'
import { reply } from '../../../src/protocol/reply.js'
import { textPush } from '../../fixtures/pushes.js'
import { untilReady } from '../../helpers/app-ready.js'
import { build } from '../../helpers/build.js'
import { sampleValue } from '../../helpers/metrics-text.js'
import { startPrivateRedis } from '../../helpers/private-redis.js'
import { signedUrl } from '../../helpers/wechat-request.js'

/** WeChat gives up after 5 s; the service promises an answer within 4.5 s (G 69). */
const WECHAT_DEADLINE_MS = 4500
const FALLBACK_LOG = 'shared store failed; dedup falls back to this instance\'s memory'

const rejections: unknown[] = []
const onRejection = (reason: unknown) => { rejections.push(reason) }
process.on('unhandledRejection', onRejection)

const post = (app: FastifyInstance, payload: string) =>
  app.inject({ method: 'POST', url: signedUrl({ token: 'testtoken123' }), headers: { 'content-type': 'text/xml' }, payload })
const metric = async (app: FastifyInstance, sample: string) =>
  sampleValue((await app.inject({ method: 'GET', url: '/metrics' })).body, sample)

async function timedPost (app: FastifyInstance, payload: string) {
  const started = Date.now()
  const res = await post(app, payload)
  return { res, ms: Date.now() - started }
}

test('Redis killed between pushes: pushes are still answered, from local memory, with a warning and a metric (G 69)', async (t) => {
  const redis = await startPrivateRedis(t)
  const logLines: string[] = []
  let runs = 0
  const app = await build(t, {
    config: { redisUrl: redis.url, redisKeyPrefix: 'wemp-test:down:' },
    handlers: { text: (m) => { runs++; return reply.text(m.Content) } },
    logLines
  })
  await untilReady(app)
  t.equal((await post(app, textPush({ content: 'before', msgId: '2000000000000001' }))).statusCode, 200)
  t.equal(await metric(app, 'wemp_store_fallbacks_total'), 0, 'no fallback while Redis answers')

  await redis.kill()

  const { res, ms } = await timedPost(app, textPush({ content: '还在吗', msgId: '2000000000000002' }))
  t.equal(res.statusCode, 200)
  t.match(res.body, /<Content><!\[CDATA\[还在吗\]\]><\/Content>/, 'the echo')
  t.ok(ms < WECHAT_DEADLINE_MS, `answered within ${WECHAT_DEADLINE_MS} ms (took ${ms} ms)`)

  const retry = await timedPost(app, textPush({ content: '还在吗', msgId: '2000000000000002' }))
  t.equal(retry.res.statusCode, 200)
  t.equal(retry.res.body, res.body, 'a retry to the same instance is still deduplicated (per-instance, fail-open)')
  t.ok(retry.ms < WECHAT_DEADLINE_MS)
  t.equal(runs, 2, 'the handler ran for "before" and once for "还在吗"')
  t.equal(await metric(app, 'wemp_messages_duplicate_total{account="default"}'), 1)

  const fallbacks = await metric(app, 'wemp_store_fallbacks_total')
  t.ok(fallbacks !== undefined && fallbacks > 0, `wemp_store_fallbacks_total > 0 (${fallbacks})`)
  const warnings = logLines.filter((line) => line.includes(FALLBACK_LOG))
  t.ok(warnings.length > 0, 'a warning per fallback')
  t.ok(warnings.every((line) => (JSON.parse(line) as { level: number }).level === 40), 'at warn level')
  t.notOk(logLines.some((line) => line.includes('还在吗')), 'no message content in the logs')

  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'alive')
  const ready = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(ready.statusCode, 503, 'not ready: the shared store does not answer')
  t.same(ready.json(), { status: 'store unavailable' })
})

test('Redis killed while the handler runs (after the claim was taken in Redis): the reply still goes out (G 69)', async (t) => {
  const redis = await startPrivateRedis(t)
  const app = await build(t, {
    config: { redisUrl: redis.url, redisKeyPrefix: 'wemp-test:down-mid:' },
    handlers: {
      text: async (m) => {
        await redis.kill()
        return reply.text(`after the crash: ${m.Content}`)
      }
    }
  })
  await untilReady(app)
  const { res, ms } = await timedPost(app, textPush({ content: 'mid', msgId: '2000000000000003' }))
  t.equal(res.statusCode, 200)
  t.match(res.body, /after the crash: mid/)
  t.ok(ms < WECHAT_DEADLINE_MS, `answered within ${WECHAT_DEADLINE_MS} ms (took ${ms} ms)`)
  const fallbacks = await metric(app, 'wemp_store_fallbacks_total')
  t.ok(fallbacks !== undefined && fallbacks > 0, 'the answer was kept in local memory instead')
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503)
})

test('Redis hung (process stopped): commands time out and the push is still answered in time (G 70)', async (t) => {
  const redis = await startPrivateRedis(t)
  const app = await build(t, { config: { redisUrl: redis.url, redisKeyPrefix: 'wemp-test:hung:' } })
  await untilReady(app)
  redis.freeze()
  t.teardown(() => redis.thaw())
  const { res, ms } = await timedPost(app, textPush({ content: 'anyone?', msgId: '2000000000000005' }))
  t.equal(res.statusCode, 200)
  t.match(res.body, /anyone\?/)
  t.ok(ms < WECHAT_DEADLINE_MS, `answered within ${WECHAT_DEADLINE_MS} ms (took ${ms} ms)`)
  t.ok((await metric(app, 'wemp_store_fallbacks_total') ?? 0) > 0)
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503, 'a hung store is not ready')
  redis.thaw()
})

test('Redis unreachable at boot: the app starts, stays alive, is not ready, and still answers pushes (G 68)', async (t) => {
  const logLines: string[] = []
  // Port 1: nothing listens there (a port freePort() released could be another test's Redis by now).
  const app = await build(t, { config: { redisUrl: 'redis://:pw-never-logged@127.0.0.1:1', redisKeyPrefix: 'wemp-test:boot:' }, logLines })
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503)
  await sleep(600) // a few reconnect attempts: no crash, no unhandled 'error' event
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200)
  const ready = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(ready.statusCode, 503)
  t.same(ready.json(), { status: 'store unavailable' })

  const { res, ms } = await timedPost(app, textPush({ content: 'echo me', msgId: '2000000000000004' }))
  t.equal(res.statusCode, 200)
  t.match(res.body, /echo me/)
  t.ok(ms < WECHAT_DEADLINE_MS)
  t.ok(logLines.some((line) => line.includes('redis store unavailable')), 'one warning about the store')
  t.notOk(logLines.some((line) => line.includes('pw-never-logged')), 'the Redis password is never logged')
})

test('no unhandled rejection in this file', async (t) => {
  await sleep(100)
  process.off('unhandledRejection', onRejection)
  t.same(rejections, [])
})
