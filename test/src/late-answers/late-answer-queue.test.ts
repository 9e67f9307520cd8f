// The worker's refusals of jobs it cannot serve, on real Redis: each is given up at once, with a
// dead-letter line and count; a retried failure says so first. Jobs are added as another
// instance (or an operator) would, through BullMQ.
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'tap'
import { startLateAnswerQueue } from '../../../src/late-answers/late-answer-queue.js'
import { LATE_ANSWER_JOB, LATE_ANSWER_QUEUE, type LateJobData } from '../../../src/late-answers/late-job-data.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../../helpers/redis.js'

function recordingLog () {
  const lines: Array<{ level: string, obj: Record<string, unknown>, msg?: string }> = []
  const at = (level: string) => (obj: object, msg?: string) => { lines.push({ level, obj: obj as Record<string, unknown>, ...(msg === undefined ? {} : { msg }) }) }
  const log = { lines, info: at('info'), warn: at('warn'), error: at('error'), child: () => log }
  return log
}

test('jobs this instance cannot serve are given up at once: dead letter, counted by account', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const prefix = uniqueKeyPrefix('late-queue')
  t.teardown(() => deleteKeysWithPrefix(url, prefix))
  const log = recordingLog()
  const deadLettered: string[] = []
  const running = startLateAnswerQueue({
    redisUrl: url, prefix, leaseMs: 1000, account: () => undefined, log, deadLettered: (account) => { deadLettered.push(account) }
  })
  const connection = new Redis(url)
  const producer = new Queue(LATE_ANSWER_QUEUE, { connection, prefix })
  t.teardown(async () => { await producer.close(); connection.disconnect() })
  // A whole text push, so that 'gone' is refused for its account, not for its push.
  const message = { ToUserName: 'gh_queue', FromUserName: 'oQueueFan', CreateTime: '1700000000', MsgType: 'text', Content: 'hi', MsgId: '1234567890123456' }
  const valid: LateJobData = { accountId: 'gone', message, delivered: 0 }
  await producer.add(LATE_ANSWER_JOB, { not: 'a late answer' }, { attempts: 3 })
  await producer.add(LATE_ANSWER_JOB, valid, { attempts: 3 })
  await producer.add(LATE_ANSWER_JOB, { ...valid, accountId: 'bad-push', message: { FromUserName: 'oQueueFan' } }, { attempts: 3 })
  for (;;) {
    if (deadLettered.length >= 3) break
    await sleep(20)
  }
  await running.close()
  t.same(deadLettered.sort(), ['bad-push', 'gone', 'unknown'])
  const letters = log.lines.filter((line) => line.msg?.includes('dead letter') === true)
  t.same(letters.map((line) => [line.level, line.obj.errorType, line.obj.attempts]), Array(3).fill(['error', 'UnrecoverableError', 1]), 'not retried')
  t.notMatch(JSON.stringify(log.lines), /oQueueFan/)
})

