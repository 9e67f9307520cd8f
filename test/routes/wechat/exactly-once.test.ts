import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { test, type Test } from 'tap'
import type { BotHandlers } from '../../../src/bot/bot.js'
import { reply } from '../../../src/protocol/reply.js'
import { textPush } from '../../fixtures/pushes.js'
import { untilReady } from '../../helpers/app-ready.js'
import { startPlatformApi } from '../../../sandbox/platform/platform-api.js'
import { createRedisStore } from '../../../src/store/redis-store.js'
import { build } from '../../helpers/build.js'
import { testConfig } from '../../helpers/config.js'
import { sampleValue } from '../../helpers/metrics-text.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../../helpers/redis.js'
import { signedUrl } from '../../helpers/wechat-request.js'
import { createBot } from '../../../src/bot/bot.js'
import type { InboundPush } from '../../../src/protocol/inbound-push.js'
import type { Store } from '../../../src/store/store.js'
import { pushIdentity } from '../../../src/inbound/exactly-once.js'

const TOKEN = 'testtoken123'
const FAN = 'oSandboxFan00000000000000001'

interface Cluster {
  apps: [FastifyInstance, FastifyInstance]
  logs: [string[], string[]]
}

/** Two instances behind one nginx: same Redis, same key prefix (unique to this test). */
async function cluster (t: Test, url: string, handlers: BotHandlers): Promise<Cluster> {
  const redisKeyPrefix = uniqueKeyPrefix('route-once')
  t.teardown(() => deleteKeysWithPrefix(url, redisKeyPrefix))
  const logs: [string[], string[]] = [[], []]
  const config = { redisUrl: url, redisKeyPrefix, replyDeadlineMs: 4500 }
  const a = await build(t, { config, handlers, logLines: logs[0] })
  const b = await build(t, { config, handlers, logLines: logs[1] })
  await untilReady(a)
  await untilReady(b)
  return { apps: [a, b], logs }
}

/** One delivery as WeChat makes it; each call gets a fresh signed URL unless one is given. */
function deliver (app: FastifyInstance, payload: string, url = signedUrl({ token: TOKEN })): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url, headers: { 'content-type': 'text/xml' }, payload })
}

/** Summed over the instances; fallbacks must stay 0, or the dedup was local, not shared. */
async function counters (apps: FastifyInstance[]): Promise<{ handled: number, duplicate: number, fallbacks: number }> {
  const sum = { handled: 0, duplicate: 0, fallbacks: 0 }
  for (const app of apps) {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body
    sum.handled += sampleValue(text, 'wemp_messages_handled_total{account="default"}') ?? Number.NaN
    sum.duplicate += sampleValue(text, 'wemp_messages_duplicate_total{account="default"}') ?? Number.NaN
    sum.fallbacks += sampleValue(text, 'wemp_store_fallbacks_total') ?? Number.NaN
  }
  return sum
}

/** Pino lines at error level (50) or above. */
const errorLines = (lines: string[]) => lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)

test('the same push delivered concurrently 3× to each of two instances runs once; six identical 200s (B 15-16)', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  let count = 0
  const { apps: [a, b], logs } = await cluster(t, url, {
    text: async (m) => {
      count++
      await sleep(300)
      return reply.text(`handled ${m.Content} #${count}`)
    }
  })
  const push = textPush({ content: 'concurrent', msgId: '6054768590064713728' })
  const started = Date.now()
  const responses = await Promise.all([a, b, a, b, a, b].map((app) => deliver(app, push)))
  t.ok(Date.now() - started < 4500, 'all answered within WeChat\'s deadline')

  t.equal(count, 1, 'exactly one handler execution across both instances')
  t.same(responses.map((r) => r.statusCode), [200, 200, 200, 200, 200, 200])
  const first = responses[0]!.body
  t.match(first, /<Content><!\[CDATA\[handled concurrent #1\]\]><\/Content>/)
  for (const r of responses) t.equal(r.body, first, 'the same reply bytes for every delivery')
  t.same(await counters([a, b]), { handled: 1, duplicate: 5, fallbacks: 0 })
  t.same([...errorLines(logs[0]), ...errorLines(logs[1])], [], 'no error logs')
})

test('retries at t=0 and later, alternating instances, run the handler once and get the cached reply (B 15)', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  let count = 0
  const { apps: [a, b] } = await cluster(t, url, {
    text: async () => {
      count++
      return reply.text(`answer #${count}`)
    }
  })
  const push = textPush({ content: 'retry me', msgId: '9007199254740993' })
  const signed = signedUrl({ token: TOKEN })
  const r0 = await deliver(a, push, signed)
  await sleep(200)
  const r1 = await deliver(b, push, signed)
  await sleep(200)
  const r2 = await deliver(a, push)
  t.same([r0.statusCode, r1.statusCode, r2.statusCode], [200, 200, 200])
  t.match(r0.body, /answer #1/)
  t.equal(r1.body, r0.body)
  t.equal(r2.body, r0.body)
  t.equal(count, 1)
  t.same(await counters([a, b]), { handled: 1, duplicate: 2, fallbacks: 0 })

  // MsgId ...992 differs from ...993 only past 2^53: it is another push (B 20).
  const neighbour = await deliver(b, textPush({ content: 'retry me', msgId: '9007199254740992' }))
  t.equal(neighbour.statusCode, 200)
  t.match(neighbour.body, /answer #2/)
  t.equal(count, 2)
})

test('two fans sending the same MsgId are both handled (B 17)', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const seen: string[] = []
  const { apps: [a, b] } = await cluster(t, url, {
    text: async (m) => {
      seen.push(m.FromUserName)
      return reply.text('ok')
    }
  })
  const [ra, rb] = await Promise.all([
    deliver(a, textPush({ from: 'oFanAAAAAAAAAAAAAAAAAAAAAAA', msgId: '1234567890123456' })),
    deliver(b, textPush({ from: 'oFanBBBBBBBBBBBBBBBBBBBBBBB', msgId: '1234567890123456' }))
  ])
  t.same([ra.statusCode, rb.statusCode], [200, 200])
  t.same(seen.sort(), ['oFanAAAAAAAAAAAAAAAAAAAAAAA', 'oFanBBBBBBBBBBBBBBBBBBBBBBB'])
})

test('a handler that throws on the first delivery: 503, the next retry is processed, one success in the end (B 19)', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  let attempts = 0
  let successes = 0
  const { apps: [a, b], logs } = await cluster(t, url, {
    text: async (m) => {
      attempts++
      if (attempts === 1) throw new Error('database hiccup')
      successes++
      return reply.text(`processed ${m.Content}`)
    }
  })
  const push = textPush({ content: 'fragile', msgId: '6054768590064714000' })
  const r0 = await deliver(a, push)
  t.equal(r0.statusCode, 503, 'not `success`: WeChat must retry')
  t.equal(r0.body, 'handler failed')
  t.ok(logs[0].some((line) => line.includes('"handler failed"')), 'the failure is logged')

  const r1 = await deliver(b, push)
  t.equal(r1.statusCode, 200, 'the retry runs the handler again on the other instance')
  t.match(r1.body, /processed fragile/)
  const r2 = await deliver(a, push)
  t.equal(r2.statusCode, 200)
  t.equal(r2.body, r1.body, 'later retries get the successful reply')
  t.same({ attempts, successes }, { attempts: 2, successes: 1 })
  t.same(await counters([a, b]), { handled: 2, duplicate: 1, fallbacks: 0 }, 'handled counts executions, the failed one included')
})

test('a retry while the first delivery runs past the reply deadline gets its answer: success, then a customer-service message', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const { appId, appSecret } = testConfig()
  const platform = await startPlatformApi({ appId, appSecret })
  t.teardown(() => platform.close())
  const redisKeyPrefix = uniqueKeyPrefix('route-late')
  t.teardown(() => deleteKeysWithPrefix(url, redisKeyPrefix))
  let count = 0
  const handlers: BotHandlers = {
    text: async () => {
      count++
      await sleep(1200)
      return reply.text('slow answer')
    }
  }
  const config = { redisUrl: url, redisKeyPrefix, replyDeadlineMs: 500, apiBase: platform.url }
  const a = await build(t, { config, handlers })
  const b = await build(t, { config, handlers })
  await untilReady(a)
  await untilReady(b)
  const push = textPush({ content: 'slow', from: FAN, msgId: '1111111111111111' })
  const first = deliver(a, push)
  await sleep(100)
  const retry = await deliver(b, push)
  const r0 = await first
  t.same([r0.statusCode, r0.body], [200, 'success'], 'the first delivery answers success at the deadline')
  t.same([retry.statusCode, retry.body], [200, 'success'], 'the retry waited for it and got the same answer')
  for (let i = 0; i < 50 && platform.state.messages.length === 0; i++) await sleep(100)
  t.same(platform.state.messages.map((m) => [m.touser, m.content]), [[FAN, 'slow answer']], 'the answer follows once, as a customer-service message')
  t.equal(count, 1)
})

test('a retry whose claim holder never answers (it died) gets 503 still processing at the deadline', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const redisKeyPrefix = uniqueKeyPrefix('route-busy')
  t.teardown(() => deleteKeysWithPrefix(url, redisKeyPrefix))
  let count = 0
  const handlers: BotHandlers = { text: () => { count++; return reply.text('never') } }
  const app = await build(t, { config: { redisUrl: url, redisKeyPrefix, replyDeadlineMs: 500 }, handlers })
  await untilReady(app)
  const { appId } = testConfig()
  // What a claim left by an instance that crashed mid-handler looks like in Redis.
  const store = createRedisStore({ url, keyPrefix: redisKeyPrefix })
  t.teardown(() => store.close())
  for (let i = 0; i < 40 && !(await store.ping()); i++) await sleep(50)
  // Under the account's AppID, as every key of the account is.
  await store.set(`${appId}:push:${FAN}:m:2222222222222222`, 'pending', 30_000)
  const res = await deliver(app, textPush({ content: 'orphan', from: FAN, msgId: '2222222222222222' }))
  t.same([res.statusCode, res.body], [503, 'still processing'])
  t.equal(count, 0, 'the handler did not run while another claim holds the push')
})

test('alone on its own memory, dedup is kept apart from the app store, so a push flood cannot evict web sessions', async (t) => {
  let count = 0
  let appStore: Store | undefined
  const app = await build(t, {
    bot: ({ store }) => {
      appStore = store
      return createBot({ text: async () => reply.text(`answer #${++count}`) })
    }
  })
  const push = textPush({ content: 'retry me', from: FAN, msgId: '424242' })
  const first = await deliver(app, push)
  const retry = await deliver(app, push)
  t.equal(retry.body, first.body, 'the retry gets the first answer')
  t.equal(count, 1, 'the handler ran once')
  const identity = pushIdentity({ kind: 'message', type: 'text', message: { FromUserName: FAN, MsgId: '424242' } } as unknown as InboundPush)
  t.equal(await appStore!.get(`push:${identity}`), null, 'the reply is not kept in the app store')
})
