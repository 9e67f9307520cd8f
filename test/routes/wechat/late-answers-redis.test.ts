// Two instances on one Redis behind a round-robin proxy (nginx's upstream): WeChat's deliveries of
// one push land on alternating instances, and still the model is asked once, the answer comes on the
// delivery that finds it, and a 48001 on one instance switches the account for the other. At half
// WeChat's speed (2 s a delivery, a 1.6 s deadline): Redis round trips and a busy machine need room.
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test, type Test } from 'tap'
import { effectiveLateMode, RETRY_WINDOW_KEY } from '../../../src/inbound/late-reply-mode.js'
import { HOLDING_TEXT } from '../../../src/inbound/held-answers.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../../helpers/redis.js'
import { untilReady } from '../../helpers/app-ready.js'
import { answeredBy, callsFor, errorLines, modelAccount, newFan, say, seen, until, type ModelAccount, type ModelAccountOptions } from './model-account.js'

const HALF = { timeoutMs: 2000, retries: 2 }

/** Each request to the next upstream in turn; a client that hangs up hangs up upstream too. */
async function roundRobin (t: Test, upstreams: string[]): Promise<{ url: string, served: string[] }> {
  const served: string[] = []
  let next = 0
  const proxy = createServer((incoming, outgoing) => {
    const target = new URL(incoming.url ?? '/', upstreams[next++ % upstreams.length])
    served.push(target.host)
    const forwarded = httpRequest(target, { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(outgoing)
    })
    forwarded.on('error', () => { outgoing.destroy() })
    outgoing.on('close', () => { forwarded.destroy() })
    incoming.pipe(forwarded)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => { proxy.closeAllConnections(); proxy.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/wechat`, served }
}

async function cluster (t: Test, redisUrl: string, options: ModelAccountOptions, warm: boolean): Promise<{ a: ModelAccount, b: ModelAccount, url: string, served: string[], logs: string[] }> {
  const redisKeyPrefix = uniqueKeyPrefix('late-answers')
  t.teardown(() => deleteKeysWithPrefix(redisUrl, redisKeyPrefix))
  const logs: string[] = []
  const config = { ...options.config, redisUrl, redisKeyPrefix, replyDeadlineMs: 1600 }
  const a = await modelAccount(t, { ...options, config, logLines: logs, warmUp: warm })
  const b = await modelAccount(t, { ...options, config, logLines: logs, warmUp: warm, shared: { llm: a.llm, platform: a.platform } })
  await untilReady(a.app)
  await untilReady(b.app)
  // A first question each, so that no first-time cost lands in a timed case.
  if (warm) for (const instance of [a, b]) await say(instance.url, newFan(a.platform), '你好', HALF)
  return { a, b, ...await roundRobin(t, [a.url, b.url]), logs }
}

test('retry-window on two instances: one computation, whichever instance gets each delivery', async (t) => {
  const redisUrl = await redisUrlOrSkip(t)
  if (redisUrl === undefined) return
  const { a, url, served, logs } = await cluster(t, redisUrl, { lateReplyMode: 'retry-window', customerService: false }, true)
  const cases: Array<[string, number, string]> = [['问题 3000', 2, '答：问题 3000'], ['问题 5000', 3, '答：问题 5000'], ['问题 7000', 3, HOLDING_TEXT]]
  for (const [question, delivery, text] of cases) {
    const exchange = await say(url, newFan(a.platform), question, HALF)
    t.same([answeredBy(exchange), seen(exchange)], [delivery, text], question)
    t.equal(callsFor(a.llm, question), 1, `${question}: one model call`)
  }
  t.equal(new Set(served).size, 2, 'both instances got deliveries')
  t.same(errorLines(logs), [])
})

test('auto on two instances: a 48001 on one switches the other through Redis', async (t) => {
  const redisUrl = await redisUrlOrSkip(t)
  if (redisUrl === undefined) return
  // No first questions: an instance that looked at the mode within SWITCH_CACHE_MS would try one more
  // customer-service message (and switch itself on its 48001); here b has not looked yet.
  const { a, b, url, logs } = await cluster(t, redisUrl, { customerService: false }, false)
  t.equal(seen(await say(a.url, newFan(a.platform), '问题 3000', HALF)), 'silent', 'instance a: customer-service assumed')
  await until('the switch', async () => await b.account().store.get(RETRY_WINDOW_KEY) ?? undefined)
  const exchange = await say(b.url, newFan(a.platform), '再问 3000', HALF)
  t.same([answeredBy(exchange), seen(exchange)], [2, '答：再问 3000'], 'instance b, which never saw the 48001, uses the retries')
  // The 48001 reached whichever instance's worker took the late answer's job: instance a, which
  // read the mode for its push, sees the switch once its SWITCH_CACHE_MS ends.
  const quiet = { info: () => {}, warn: () => {}, error: () => {} }
  await until('instance a sees the switch', async () => await effectiveLateMode(undefined, a.account().store, quiet) === 'retry-window' || undefined)
  const mixed = await say(url, newFan(a.platform), '三问 3000', HALF)
  t.same([answeredBy(mixed), seen(mixed)], [2, '答：三问 3000'])
  t.equal(callsFor(a.llm, '三问 3000'), 1)
  t.same(errorLines(logs), [])
})
