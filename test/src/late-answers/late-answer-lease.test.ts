// The lease on a late answer's job, against real Redis (a private one where Redis must hang):
// renewed while the bot runs, lost to a worker that took the job, and what happens when Redis fails.
import { setTimeout as sleep } from 'node:timers/promises'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { test, type Test } from 'tap'
import { ADD_GIVE_UP_MS, leaseLateAnswer } from '../../../src/late-answers/late-answer-lease.js'
import { LATE_ANSWER_QUEUE, lateJobId, type LateJobData } from '../../../src/late-answers/late-job-data.js'
import { startPrivateRedis } from '../../helpers/private-redis.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../../helpers/redis.js'

const DATA: LateJobData = { accountId: 'default', message: { FromUserName: 'oLeaseFan', Content: 'hi' }, delivered: 0 }
let ids = 0

function recordingLog () {
  const lines: Array<{ obj: Record<string, unknown>, msg?: string }> = []
  const at = (obj: object, msg?: string) => { lines.push({ obj: obj as Record<string, unknown>, ...(msg === undefined ? {} : { msg }) }) }
  return { lines, info: at, warn: at, error: at }
}

async function queueOn (t: Test, url: string): Promise<Queue<LateJobData> & { down: () => void }> {
  const prefix = uniqueKeyPrefix('lease')
  const connection = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
  connection.on('error', () => {})
  const queue = new Queue<LateJobData>(LATE_ANSWER_QUEUE, { connection, prefix })
  queue.on('error', () => {})
  t.teardown(async () => {
    await queue.close().catch(() => {})
    connection.disconnect()
    await deleteKeysWithPrefix(url, prefix)
  })
  // Shared, the connection outlives queue.close(): dropping it is how Redis "fails" here.
  return Object.assign(queue, { down: () => { connection.disconnect() } })
}

const nextId = (): string => lateJobId('wxlease', `fan:m:${++ids}`)

test('renewed while the bot runs: still delayed after several leases, then promoted with its texts', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const queue = await queueOn(t, url)
  const jobId = nextId()
  const lease = leaseLateAnswer(queue, DATA, { jobId, leaseMs: 300, log: recordingLog() })
  t.equal(await lease.added, true)
  await sleep(1000)
  t.equal(await (await queue.getJob(jobId))?.getState(), 'delayed', 'three leases later it still waits for its owner')
  t.equal(await lease.finish(['答']), 'queued')
  const job = await queue.getJob(jobId)
  t.equal(await job?.getState(), 'waiting', 'promoted for a worker')
  t.same(job?.data.texts, ['答'])
})

test('a worker took the job (the owner stalled past its lease): the owner\'s answer is dropped', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const queue = await queueOn(t, url)
  const renewedOut = leaseLateAnswer(queue, DATA, { jobId: nextId(), leaseMs: 300, log: recordingLog() })
  const finishedOut = leaseLateAnswer(queue, DATA, { jobId: nextId(), leaseMs: 3000, log: recordingLog() })
  await Promise.all([renewedOut.added, finishedOut.added])
  // As when the delay ran out: the jobs leave the delayed set.
  await queue.promoteJobs()
  await sleep(250)
  t.equal(await renewedOut.finish(['late']), 'taken', 'the next renewal found it gone')
  t.equal(await finishedOut.finish(['late']), 'taken', 'the promotion found it gone')
})

test('nothing to send removes the job; a failed bot removes it too', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const queue = await queueOn(t, url)
  const empty = nextId()
  const failed = nextId()
  const a = leaseLateAnswer(queue, DATA, { jobId: empty, leaseMs: 1000, log: recordingLog() })
  const b = leaseLateAnswer(queue, DATA, { jobId: failed, leaseMs: 1000, log: recordingLog() })
  t.equal(await a.finish([]), 'queued')
  await b.abandon()
  t.equal(await queue.getJob(empty), undefined)
  t.equal(await queue.getJob(failed), undefined)
})

test('Redis fails: the add (in process, then), a renewal and the finish are logged by kind', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const closed = await queueOn(t, url)
  await closed.waitUntilReady()
  closed.down()
  const log = recordingLog()
  const notAdded = leaseLateAnswer(closed, DATA, { jobId: nextId(), leaseMs: 1000, log })
  t.equal(await notAdded.added, false)
  t.equal(await notAdded.finish(['x']), 'local', 'no job: the caller sends it')
  await notAdded.abandon()

  const queue = await queueOn(t, url)
  const added = leaseLateAnswer(queue, DATA, { jobId: nextId(), leaseMs: 300, log })
  await added.added
  queue.down()
  await sleep(250)
  t.equal(await added.finish(['x']), 'queued', 'the job stays delayed in Redis: a worker finishes it')
  const abandoned = await queueOn(t, url)
  const left = leaseLateAnswer(abandoned, DATA, { jobId: nextId(), leaseMs: 1000, log })
  await left.added
  abandoned.down()
  await left.abandon()
  t.same([...new Set(log.lines.map((line) => line.obj.operation))].sort(), ['abandon', 'add', 'finish', 'renew'])
  t.notMatch(JSON.stringify(log.lines), /oLeaseFan|hi"/, 'no openid, no text')
})

test('a Redis that hangs: the ready answer goes in process, and the job that lands later is removed', async (t) => {
  const redis = await startPrivateRedis(t)
  const queue = await queueOn(t, redis.url)
  await queue.waitUntilReady()
  const jobId = nextId()
  redis.freeze()
  const lease = leaseLateAnswer(queue, DATA, { jobId, leaseMs: 1000, log: recordingLog() })
  const started = Date.now()
  t.equal(await lease.finish(['x']), 'local')
  t.ok(Date.now() - started >= ADD_GIVE_UP_MS - 50)
  redis.thaw()
  t.equal(await lease.added, false, 'landed, then removed')
  t.equal(await queue.getJob(jobId), undefined)
})
