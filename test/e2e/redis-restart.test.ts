import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'tap'
import { textPush } from '../fixtures/pushes.js'
import { sampleValue } from '../helpers/metrics-text.js'
import { startPrivateRedis } from '../helpers/private-redis.js'
import { postPush, steadyLoad, uniqueMsgId, type LoadResult } from '../helpers/push-load.js'
import { startServer, type RunningServer } from '../helpers/server-process.js'

// Two built servers on one private Redis, under a steady load of signed pushes; Redis is killed
// mid-load and started again (empty, as after a crash without persistence) on the same port.

/** WeChat gives up after 5 s; the service promises an answer within 4.5 s (docs/security.md G 69). */
const ANSWER_WITHIN_MS = 4500
const LOAD_MS = 30_000
const PER_SECOND = 40
const REDIS_DOWN_AT_MS = 8000
const REDIS_UP_AT_MS = 18_000
const TOKEN = 'restarttoken123'

const metric = async (server: RunningServer, sample: string): Promise<number | undefined> =>
  sampleValue(await (await fetch(`${server.url}/metrics`)).text(), sample)

async function readyWithin (server: RunningServer, ms: number): Promise<number | undefined> {
  const started = Date.now()
  while (Date.now() - started < ms) {
    if ((await fetch(`${server.url}/readyz`)).status === 200) return Date.now() - started
    await sleep(100)
  }
  return undefined
}

test('Redis killed and started again under load: every push answered in time, shared state back without a restart', async (t) => {
  const redis = await startPrivateRedis(t)
  const env = {
    NODE_ENV: 'production', WECHAT_TOKEN: TOKEN, WECHAT_APPID: 'wxrestart', WECHAT_APPSECRET: 'restart-secret',
    SESSION_SECRET: 'restart-session-secret-0123456789-abcdef', REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'wemp-restart:'
  }
  const servers = [await startServer(env), await startServer(env)] as [RunningServer, RunningServer]
  // SIGTERM, not SIGKILL: a process that exits normally writes its coverage.
  for (const server of servers) t.teardown(async () => { server.child.kill('SIGTERM'); await server.exited })
  const [a, b] = servers

  const results: LoadResult[] = []
  const load = steadyLoad({ targets: [a.url, b.url], token: TOKEN, perSecond: PER_SECOND, durationMs: LOAD_MS, onResult: (r) => results.push(r) })
  await sleep(REDIS_DOWN_AT_MS)
  await redis.kill()
  await sleep(REDIS_UP_AT_MS - REDIS_DOWN_AT_MS)
  await redis.restart()

  // Shared state again, on the same processes and while the load goes on: both ready, and a
  // retry of a push A answered is a duplicate on B.
  for (const [name, server] of [['A', a], ['B', b]] as const) {
    const after = await readyWithin(server, 5000)
    t.ok(after !== undefined, `/readyz on ${name} is 200 again (${after} ms after Redis answered)`)
  }
  const push = textPush({ content: 'after the restart', from: 'oAfterRestart0000000000001', msgId: uniqueMsgId() })
  const first = await postPush(a.url, TOKEN, push)
  t.equal(first.status, 200)
  t.match(first.body, /after the restart/)
  const duplicatesBefore = await metric(b, 'wemp_messages_duplicate_total{account="default"}') ?? 0
  const retry = await postPush(b.url, TOKEN, push)
  t.equal(retry.status, 200)
  t.equal(retry.body, first.body, 'B answers the retry with A\'s reply')
  t.equal(await metric(b, 'wemp_messages_duplicate_total{account="default"}'), duplicatesBefore + 1, 'B knew it from Redis: a duplicate, the handler not run again')

  await load
  t.equal(results.length, PER_SECOND * LOAD_MS / 1000, 'every push of the load has its answer')
  const during = results.filter((r) => r.sentAt >= REDIS_DOWN_AT_MS && r.sentAt < REDIS_UP_AT_MS)
  t.ok(during.length >= PER_SECOND * 9, `pushes were sent while Redis was down (${during.length})`)
  const wrong = results.filter((r) => r.status !== 200 || !r.body.includes(`<Content><![CDATA[${r.content}]]></Content>`))
  t.same(wrong.map((r) => ({ at: Math.round(r.sentAt), status: r.status, error: r.error })), [], 'every push answered 200 with its echo')
  const slowest = results.reduce((max, r) => Math.max(max, r.ms), 0)
  t.ok(slowest <= ANSWER_WITHIN_MS, `no push answered later than ${ANSWER_WITHIN_MS} ms (slowest ${Math.round(slowest)} ms)`)
  t.comment(`${results.length} pushes, slowest ${Math.round(slowest)} ms; ${during.length} while Redis was down`)
  for (const server of servers) {
    const fallbacks = await metric(server, 'wemp_store_fallbacks_total')
    t.ok(fallbacks !== undefined && fallbacks > 0, `the outage was served from local memory (${fallbacks} fallbacks)`)
  }
  const outputs = a.output() + b.output()
  t.notMatch(outputs, /load \d+|after the restart/, 'no message content in the logs')
})
