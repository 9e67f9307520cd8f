// Two built servers on one Redis (a prefix of their own), the platform faked on loopback. A slow
// bot misses the 500 ms deadline; instance A is killed (-9) at a random point after the deadline
// while its late answers are pending; instance B must send each of them, once. A kill between a
// send and its record (the job's completion) sends that text twice: those are counted, not hidden.
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'tap'
import type { RunningPlatformApi } from '../../sandbox/platform/platform-api.js'
import { APP_ID, APP_SECRET, startPlatform } from '../fixtures/platform-fixture.js'
import { textPush } from '../fixtures/pushes.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../helpers/redis.js'
import { startServer, type RunningServer } from '../helpers/server-process.js'
import { signedUrl } from '../helpers/wechat-request.js'
import { untilTrue } from '../helpers/until.js'

const TOKEN = 'e2elatejobs123'
const TRIALS = Number(process.env.KILL_TRIALS ?? 10)
const FANS_PER_TRIAL = 3
const DEADLINE_MS = 500
const BOT_MS = 1200
const LEASE_MS = 1000
const BOT = fileURLToPath(new URL('./fixtures/slow-bot.js', import.meta.url))

let fans = 0
let msgIds = 0

async function push (server: RunningServer, openid: string, content: string): Promise<string> {
  const res = await fetch(`${server.url}${signedUrl({ token: TOKEN })}`, {
    method: 'POST', headers: { 'content-type': 'text/xml' }, body: textPush({ content, from: openid, msgId: String(7_000_000_000 + ++msgIds) })
  })
  return await res.text()
}

const sentTo = (platform: RunningPlatformApi, openid: string) => platform.state.messages.filter((m) => m.touser === openid)

test('kill -9 of the instance working on late answers: the other instance sends each one', { timeout: 170_000 }, async (t) => {
  const redisUrl = await redisUrlOrSkip(t)
  if (redisUrl === undefined) return
  const prefix = uniqueKeyPrefix('late-job-kill')
  t.teardown(() => deleteKeysWithPrefix(redisUrl, prefix))
  const platform = await startPlatform(t)
  const env = {
    WECHAT_TOKEN: TOKEN,
    WECHAT_APPID: APP_ID,
    WECHAT_APPSECRET: APP_SECRET,
    SESSION_SECRET: 'e2e-late-jobs-session-secret-0123456789',
    WECHAT_API_BASE: platform.url,
    LATE_REPLY_MODE: 'customer-service',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    REPLY_DEADLINE_MS: String(DEADLINE_MS),
    LATE_ANSWER_LEASE_MS: String(LEASE_MS),
    WEMP_BOT: BOT,
    SLOW_BOT_MS: String(BOT_MS),
    // startServer waits for Fastify's listening line, at info.
    LOG_LEVEL: 'info'
  }
  const b = await startServer(env)
  t.teardown(() => { b.child.kill('SIGKILL') })
  const started = Date.now()
  const all: Array<{ openid: string, killedAt: number }> = []
  for (let trial = 1; trial <= TRIALS; trial++) {
    const starting = Date.now()
    const a = await startServer(env)
    const startMs = Date.now() - starting
    t.teardown(() => { a.child.kill('SIGKILL') })
    const openids = Array.from({ length: FANS_PER_TRIAL }, () => platform.state.addFan({ openid: `oKillFan${String(++fans).padStart(20, '0')}`, nickname: `粉丝${fans}` }).openid)
    const sentAt = Date.now()
    const replies = await Promise.all(openids.map(async (openid) => await push(a, openid, `第${trial}问`)))
    t.same(replies, openids.map(() => 'success'), `trial ${trial}: WeChat hears success at the deadline`)
    // After the deadline, up to just past the bot's answer (its send): the late answers are pending on A.
    const killAfterMs = DEADLINE_MS + 50 + Math.floor(Math.random() * (BOT_MS + 100 - DEADLINE_MS))
    await sleep(Math.max(0, sentAt + killAfterMs - Date.now()))
    a.child.kill('SIGKILL')
    await a.exited
    const killedAt = Date.now()
    for (const openid of openids) all.push({ openid, killedAt })
    await untilTrue(`trial ${trial}'s answers`, () => openids.every((openid) => sentTo(platform, openid).length > 0), 20_000)
    t.comment(`trial ${trial}: A started in ${startMs} ms, killed ${killedAt - sentAt} ms after the pushes; answers ${Date.now() - killedAt} ms after the kill`)
  }
  // A double comes when the killed worker's lock runs out (2 leases): wait for that before counting.
  await sleep(2 * LEASE_MS + 500)
  const counts = all.map(({ openid }) => sentTo(platform, openid).length)
  const fromB = all.filter(({ openid, killedAt }) => sentTo(platform, openid).every((m) => m.at >= killedAt)).length
  const doubles = counts.filter((count) => count === 2).length
  t.comment(`${all.length} late answers in ${TRIALS} trials (${Date.now() - started} ms): ${fromB} sent after A died (by B), ${all.length - fromB} by A before its kill, ${doubles} twice (kill between send and record)`)
  t.same(counts.filter((count) => count === 0), [], 'every fan got an answer')
  t.same(counts.filter((count) => count > 2), [], 'none more than twice')
  t.ok(all.every(({ openid }) => sentTo(platform, openid).every((m) => /^answer to 第\d+问$/.test(m.content ?? ''))), 'each is the bot\'s answer')
  t.ok(fromB > 0, 'B finished answers of a dead A')
  b.child.kill('SIGTERM')
  t.equal(await b.exited, 0, 'B closes gracefully: its worker and queue close')
})
