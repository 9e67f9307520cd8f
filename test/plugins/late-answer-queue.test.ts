// Late answers as BullMQ jobs on the real Redis (a prefix per test), WeChat faked by the sandbox's
// platform on loopback: a push misses a 500 ms deadline and its answer follows as a
// customer-service message, sent by whichever instance's worker takes the job.
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { test, type Test } from 'tap'
import type { BotHandlers } from '../../src/bot/bot.js'
import type { Config } from '../../src/config.js'
import { reply } from '../../src/protocol/reply.js'
import { createMemoryStore } from '../../src/store/memory-store.js'
import type { Store } from '../../src/store/store.js'
import type { RunningPlatformApi } from '../../sandbox/platform/platform-api.js'
import { APP_ID, APP_SECRET, startPlatform } from '../fixtures/platform-fixture.js'
import { textPush } from '../fixtures/pushes.js'
import { build } from '../helpers/build.js'
import { sampleValue } from '../helpers/metrics-text.js'
import { startPrivateRedis } from '../helpers/private-redis.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../helpers/redis.js'
import { signedUrl } from '../helpers/wechat-request.js'
import { until } from '../helpers/until.js'

const TOKEN = 'testtoken123'
const SEND_PATH = '/cgi-bin/message/custom/send'
let fans = 0

/** A bot whose text answer takes `delayMs`, counting its calls under `label`; `more` follows the answer. */
function slowBot (label: string, delayMs: number, calls: string[], more?: string): BotHandlers {
  return {
    text: async (message, context) => {
      calls.push(label)
      await sleep(delayMs)
      if (more !== undefined) context.sendAfterReply?.([more])
      return reply.text(`${label}：${message.Content}`)
    }
  }
}

async function instance (t: Test, platform: RunningPlatformApi, handlers: BotHandlers, config: Partial<Config>, logLines?: string[], store?: Store): Promise<FastifyInstance> {
  return await build(t, {
    config: { apiBase: platform.url, appId: APP_ID, appSecret: APP_SECRET, replyDeadlineMs: 500, lateAnswerLeaseMs: 1000, ...config },
    handlers,
    ...(logLines !== undefined && { logLines }),
    ...(store !== undefined && { store })
  })
}

async function shared (t: Test): Promise<Partial<Config> | undefined> {
  const redisUrl = await redisUrlOrSkip(t)
  if (redisUrl === undefined) return undefined
  const redisKeyPrefix = uniqueKeyPrefix('late-jobs')
  t.teardown(() => deleteKeysWithPrefix(redisUrl, redisKeyPrefix))
  return { redisUrl, redisKeyPrefix }
}

/** A new fan inside the 48-hour window sends a text; resolves with WeChat's answer (`success` when late). */
async function push (app: FastifyInstance, platform: RunningPlatformApi, content: string): Promise<{ openid: string, body: string }> {
  const openid = platform.state.addFan({ openid: `oJobFan${String(++fans).padStart(21, '0')}`, nickname: `粉丝${fans}` }).openid
  const res = await app.inject({ method: 'POST', url: signedUrl({ token: TOKEN }), headers: { 'content-type': 'text/xml' }, payload: textPush({ content, from: openid, msgId: String(9_000_000 + fans) }) })
  return { openid, body: res.body }
}

const textsTo = (platform: RunningPlatformApi, openid: string): string[] =>
  platform.state.messages.filter((m) => m.touser === openid).map((m) => m.content ?? m.msgtype)

const deadLetters = async (app: FastifyInstance): Promise<number | undefined> =>
  sampleValue((await app.inject('/metrics')).body, 'wemp_late_answers_dead_lettered_total{account="default"}')

test('a late answer goes through the job and is sent once, by some instance\'s worker', async (t) => {
  const config = await shared(t)
  if (config === undefined) return
  const platform = await startPlatform(t)
  const calls: string[] = []
  const app = await instance(t, platform, slowBot('A', 800, calls), config)
  const { openid, body } = await push(app, platform, '慢问题')
  t.equal(body, 'success', 'WeChat hears success at the deadline')
  t.same(await until('the answer', () => textsTo(platform, openid)[0] !== undefined ? textsTo(platform, openid) : undefined), ['A：慢问题'])
  await sleep(1500)
  t.same(textsTo(platform, openid), ['A：慢问题'], 'once, and the lease ran out on nothing: the bot ran once')
  t.same(calls, ['A'])
})

test('the instance working on a late answer is closed mid-computation: another one answers', async (t) => {
  const config = await shared(t)
  if (config === undefined) return
  const platform = await startPlatform(t)
  const calls: string[] = []
  const logs: string[] = []
  const a = await instance(t, platform, slowBot('A', 1500, calls), config)
  const b = await instance(t, platform, slowBot('B', 200, calls, '还有一段'), config, logs)
  const { openid, body } = await push(a, platform, '谁来答')
  t.equal(body, 'success')
  await a.close()
  await until('B\'s answer', () => textsTo(platform, openid)[1])
  await sleep(1000)
  t.same(textsTo(platform, openid), ['B：谁来答', '还有一段'], 'one answer, with what it sends after: instance A, closed, sent nothing')
  t.same(calls, ['A', 'B'], 'B ran the bot on the push again')
  t.match(logs.join(''), /late answer taken over from an instance that is gone/)
  t.notMatch(logs.join(''), new RegExp(`${openid}|谁来答`), 'no openid, no text in the logs')
})

test('a permanent refusal (45015) is not retried: a dead-letter line and the metric', async (t) => {
  const config = await shared(t)
  if (config === undefined) return
  const platform = await startPlatform(t)
  const logs: string[] = []
  const app = await instance(t, platform, slowBot('A', 700, []), config, logs)
  t.equal(await deadLetters(app), 0, 'the series starts at 0')
  const openid = `oJobFan${String(++fans).padStart(21, '0')}`
  platform.state.addFan({ openid, nickname: 'outside' })
  platform.state.setOutsideWindow(openid, true)
  await app.inject({ method: 'POST', url: signedUrl({ token: TOKEN }), headers: { 'content-type': 'text/xml' }, payload: textPush({ content: '窗口外', from: openid, msgId: '8800000001' }) })
  await until('the dead letter', () => logs.find((line) => line.includes('dead letter')))
  await sleep(1500)
  t.equal(platform.state.callCount(SEND_PATH), 1, 'one try: 45015 cannot succeed later')
  t.equal(await deadLetters(app), 1)
  const line = JSON.parse(logs.find((l) => l.includes('dead letter')) as string) as Record<string, unknown>
  t.match(line, { level: 50, account: 'default', errorType: 'UnrecoverableError', code: 45015, attempts: 1 })
  t.notMatch(logs.join(''), new RegExp(`${openid}|窗口外`), 'no openid, no text in the logs')
})

test('a transient failure is retried with backoff, then delivered', async (t) => {
  const config = await shared(t)
  if (config === undefined) return
  const platform = await startPlatform(t)
  const logs: string[] = []
  const app = await instance(t, platform, slowBot('A', 600, []), config, logs)
  platform.state.failNext(SEND_PATH, { errcode: -1, errmsg: 'system error' })
  const { openid } = await push(app, platform, '再试')
  const firstTry = await until('the first try', () => platform.state.callCount(SEND_PATH) > 0 ? Date.now() : undefined)
  await until('the answer', () => textsTo(platform, openid)[0])
  t.ok(Date.now() - firstTry >= 900, 'the retry waited for the backoff (1 s)')
  t.same(textsTo(platform, openid), ['A：再试'])
  t.equal(platform.state.callCount(SEND_PATH), 2)
  t.match(logs.join(''), /late answer failed; retried with backoff/)
  t.equal(await deadLetters(app), 0)
})

test('customer-service mode without the rights (48001): given up, nothing held', async (t) => {
  const config = await shared(t)
  if (config === undefined) return
  const platform = await startPlatform(t)
  platform.state.withoutCustomerService.add(APP_ID)
  const logs: string[] = []
  const app = await instance(t, platform, slowBot('A', 600, []), { ...config, lateReplyMode: 'customer-service' }, logs)
  await push(app, platform, '无权')
  await until('the dead letter', () => logs.find((line) => line.includes('dead letter')))
  t.equal(await deadLetters(app), 1)
})

test('an answer with nothing to send, and a bot that fails after the deadline: the job is removed', async (t) => {
  const config = await shared(t)
  if (config === undefined) return
  const platform = await startPlatform(t)
  const logs: string[] = []
  const app = await instance(t, platform, {
    text: async (message) => {
      await sleep(700)
      if (message.Content === 'fail') throw new Error('the model is down')
      return undefined
    }
  }, config, logs)
  await push(app, platform, 'nothing')
  await push(app, platform, 'fail')
  await until('the late failure', () => logs.find((line) => line.includes('handler failed after the deadline')))
  await sleep(2500)
  t.equal(platform.state.callCount(SEND_PATH), 0, 'no job ran the bot again when its lease ran out')
  t.notMatch(logs.join(''), /taken over/)
})

test('the queue\'s Redis hangs at the miss: success on time, and the answer goes in process', async (t) => {
  const redis = await startPrivateRedis(t)
  const platform = await startPlatform(t)
  // The app's store apart (a test's own), so that only the job's add meets the hung Redis.
  const store = createMemoryStore()
  t.teardown(() => store.close())
  const app = await instance(t, platform, slowBot('A', 600, []), { redisUrl: redis.url, redisKeyPrefix: uniqueKeyPrefix('late-jobs-hang') }, undefined, store)
  t.teardown(() => { redis.thaw() })
  redis.freeze()
  const started = Date.now()
  const { openid, body } = await push(app, platform, '卡住')
  t.equal(body, 'success')
  t.ok(Date.now() - started < 1000, 'WeChat is answered without waiting for the add')
  t.same(await until('the answer', () => textsTo(platform, openid)[0]), 'A：卡住')
  redis.thaw()
})

test('the memory store: late answers stay in process, as without jobs', async (t) => {
  const platform = await startPlatform(t)
  const app = await instance(t, platform, slowBot('A', 700, []), {})
  const { openid, body } = await push(app, platform, '内存')
  t.equal(body, 'success')
  t.same(await until('the answer', () => textsTo(platform, openid)[0]), 'A：内存')
})
