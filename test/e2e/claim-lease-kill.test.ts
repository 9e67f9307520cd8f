import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'tap'
import { APP_ID, APP_SECRET, startPlatform } from '../fixtures/platform-fixture.js'
import { textPush } from '../fixtures/pushes.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../helpers/redis.js'
import { startServer, type RunningServer } from '../helpers/server-process.js'
import { signedUrl } from '../helpers/wechat-request.js'
import { untilTrue } from '../helpers/until.js'

// Two built servers on one Redis; the test plays WeChat. A push goes to instance A, whose bot takes
// 2 s; A is killed (SIGKILL) at a random point while the handler runs, well before the 4.5 s reply
// deadline; WeChat's retries, the same signed XML, go to instance B on WeChat's own schedule (5 s
// and 10 s after the first delivery, each given 5 s). A claim that outlived A (it used to live
// 30 s) would make B answer 503 to both retries and the fan would get nothing; the claim is a 3 s
// lease, so B takes the push over. Every fan must get exactly one answer: a passive reply or a
// customer-service message. A kill between an answer's send and its record would give two: in this
// path the answer is recorded before it is sent, so there should be none; the doubles are counted.
// The deadline and WeChat's timings are the real ones (nothing compressed): about 7 s a trial.

const BOT = fileURLToPath(new URL('./fixtures/slow-bot.js', import.meta.url))
const TOKEN = 'leasetoken01'
const SLOW_MS = 2000
const TRIALS = 10
/** WeChat gives a delivery 5 s and starts the next one 5 s after the previous one. */
const WECHAT_SPACING_MS = 5000

interface Delivery { to: 'A' | 'B', status?: number, text?: string, error?: string }

async function deliver (to: 'A' | 'B', server: RunningServer, path: string, xml: string): Promise<Delivery> {
  try {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml, signal: AbortSignal.timeout(WECHAT_SPACING_MS)
    })
    return { to, status: res.status, text: await res.text() }
  } catch (error) {
    return { to, error: (error as Error).name }
  }
}

const answered = (d: Delivery, content: string): boolean => d.status === 200 && (d.text ?? '').includes(`<![CDATA[answer to ${content}]]>`)

test('kill -9 of the instance running a slow push before the deadline: the retry on the other instance answers, once', { timeout: 150_000 }, async (t) => {
  const redisUrl = await redisUrlOrSkip(t)
  if (redisUrl === undefined) return
  const prefix = uniqueKeyPrefix('claim-lease-kill')
  t.teardown(() => deleteKeysWithPrefix(redisUrl, prefix))
  const platform = await startPlatform(t)
  const env = {
    SESSION_SECRET: 'e2e-session-secret-0123456789-abcdef',
    LOG_LEVEL: 'info',
    WECHAT_TOKEN: TOKEN,
    WECHAT_APPID: APP_ID,
    WECHAT_APPSECRET: APP_SECRET,
    WECHAT_API_BASE: platform.url,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    WEMP_BOT: BOT,
    SLOW_BOT_MS: String(SLOW_MS)
  }
  const servers: RunningServer[] = []
  t.teardown(async () => {
    for (const s of servers) s.child.kill('SIGKILL')
    await Promise.all(servers.map(async (s) => await s.exited))
  })
  const start = async (): Promise<RunningServer> => {
    const s = await startServer(env)
    servers.push(s)
    return s
  }
  const [b, first] = await Promise.all([start(), start()])
  let a = first

  const trials: Array<{ fan: string, content: string, killAfterMs: number, deliveries: Delivery[], ms: number, restartWaitMs: number }> = []
  for (let trial = 1; trial <= TRIALS; trial++) {
    // A's restart: started now, as a spare that gets nothing until A is dead (a start takes 1-10 s on a busy machine).
    const restarted = trial < TRIALS ? start() : undefined
    restarted?.catch(() => {})
    const fan = `oFanLeaseKill${String(trial).padStart(15, '0')}`
    platform.state.addFan({ openid: fan, nickname: `fan ${trial}` })
    const content = `trial ${trial} ${prefix}`
    const xml = textPush({ from: fan, content, msgId: `${Date.now()}${trial}`, createTime: String(Math.floor(Date.now() / 1000)) })
    const path = signedUrl({ token: TOKEN })
    const seen = a.output().length
    const firstDelivery = Date.now()
    const onA = deliver('A', a, path, xml)
    await untilTrue('the handler to start on A', () => a.output().slice(seen).includes('slow bot: handler started'), 10_000, 5)
    // Anywhere in the handler's run, up to just past its end (the answer being recorded and sent).
    const killAfterMs = Math.round(Math.random() * (SLOW_MS + 100))
    await sleep(killAfterMs)
    a.child.kill('SIGKILL')
    await a.exited
    const deliveries = [await onA]
    for (let retry = 1; retry <= 2 && !answered(deliveries.at(-1) as Delivery, content); retry++) {
      await sleep(firstDelivery + retry * WECHAT_SPACING_MS - Date.now())
      deliveries.push(await deliver('B', b, path, xml))
    }
    const ms = Date.now() - firstDelivery
    if (restarted !== undefined) a = await restarted
    const restartWaitMs = Date.now() - firstDelivery - ms
    trials.push({ fan, content, killAfterMs, deliveries, ms, restartWaitMs })
  }
  // Long enough for an answer that missed a deadline to arrive as a customer-service message.
  await sleep(1000)

  let doubles = 0
  for (const [i, { fan, content, killAfterMs, deliveries, ms, restartWaitMs }] of trials.entries()) {
    const passive = deliveries.filter((d) => answered(d, content)).length
    const customerService = platform.state.messages.filter((m) => m.touser === fan).length
    const answers = passive + customerService
    if (answers > 1) doubles++
    const summary = deliveries.map((d) => `${d.to}:${d.status ?? d.error ?? '?'}`).join(' ')
    t.equal(answers, 1, `trial ${i + 1}: killed ${killAfterMs} ms into the handler; deliveries ${summary}, the last ${ms} ms after the first; ${customerService} customer-service; then ${restartWaitMs} ms for A's restart`)
    const killedBeforeAnswer = !answered(deliveries[0] as Delivery, content)
    if (killedBeforeAnswer) t.ok(answered(deliveries[1] as Delivery, content), `trial ${i + 1}: WeChat's first retry, on B, carried the answer (no 503)`)
  }
  t.comment(`${trials.length} trials, ${trials.filter((x) => answered(x.deliveries[0] as Delivery, x.content)).length} answered by A before its kill, ${doubles} doubles`)
  t.notMatch(b.output(), /handler failed|"level":50/, 'B logged no error')
})
