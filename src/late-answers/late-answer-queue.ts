import { setTimeout as sleep } from 'node:timers/promises'
import { Queue, Worker, type Job } from 'bullmq'
import { Redis } from 'ioredis'
import type { Account } from '../accounts/account.js'
import { reconnectDelayMs } from '../store/redis-store.js'
import { pushIdentity } from '../inbound/exactly-once.js'
import { leaseLateAnswer, type LateAnswers } from './late-answer-lease.js'
import { lateAnswerProcessor, type ServerLogger } from './late-answer-processor.js'
import { LATE_ANSWER_QUEUE, lateJobId, type LateJobData } from './late-job-data.js'

export interface LateAnswerQueueOptions {
  /** redis://… — never logged. */
  redisUrl: string
  /** BullMQ's key prefix (REDIS_KEY_PREFIX + "jobs"). */
  prefix: string
  /** LATE_ANSWER_LEASE_MS. */
  leaseMs: number
  account(id: string): Account | undefined
  log: ServerLogger
  /** A job given up: its account's dead-letter count. */
  deadLettered(accountId: string): void
  /** Tries per job, the first included. */
  attempts?: number
  /** The first retry's wait; each next one doubles it. */
  backoffMs?: number
}

/**
 * How long close waits for the worker's active jobs and Redis; past it the connections are dropped
 * and what was active is taken over by another instance when its lock runs out.
 */
export const CLOSE_WAIT_MS = 5000

export interface RunningLateAnswerQueue {
  lateAnswers: LateAnswers
  /** Lets the active jobs finish, then closes the queue, the worker and their connections. */
  close(): Promise<void>
}

/** The account a job's data names, whatever wrote it. */
const accountOf = (job: Job<LateJobData>): string => typeof job.data?.accountId === 'string' ? job.data.accountId : 'unknown'

/** A job failure, in a line without its data or message: the id, the account, the attempt, the kind of error and its errcode. */
function failureFields (job: Job<LateJobData>, error: Error): Record<string, unknown> {
  return { lateJob: job.id, account: accountOf(job), attempts: job.attemptsMade, errorType: error.name, code: (error as { code?: unknown }).code }
}

/**
 * Stops the lock renewal of a worker whose close() hangs (taskforcesh/bullmq#4656, open in 6.7).
 * BullMQ has no public call for it, so this reaches its LockManager, and says so if that has moved.
 */
function stopLockRenewal (worker: Worker<LateJobData>, log: ServerLogger): void {
  const lockManager = (worker as unknown as { lockManager?: { close?: () => Promise<void> } }).lockManager
  /* c8 ignore next 4 -- only a BullMQ that has moved its LockManager */
  if (typeof lockManager?.close !== 'function') {
    log.error({}, 'late answer queue: cannot stop BullMQ lock renewal; this process may not exit on its own')
    return
  }
  void lockManager.close()
}

/**
 * The late answers of every account in one BullMQ queue on the shared Redis, and this instance's
 * worker for it. Loaded only when REDIS_URL is set: a memory-store server never loads bullmq.
 */
export function startLateAnswerQueue (options: LateAnswerQueueOptions): RunningLateAnswerQueue {
  const { log, leaseMs, prefix } = options
  // Once closing, no connection reconnects: BullMQ's own duplicates (the worker's blocking one)
  // inherit this, so a Redis that is down at close cannot keep the process alive.
  let closing = false
  const retryStrategy = (attempt: number): number | null => closing ? null : reconnectDelayMs(attempt)
  // The queue adds in the request path: offline, a command fails at once and the answer stays in process.
  const queueConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy })
  // BullMQ's workers block on Redis and must never give a command up (maxRetriesPerRequest: null).
  const workerConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, retryStrategy })
  const queue = new Queue<LateJobData>(LATE_ANSWER_QUEUE, {
    connection: queueConnection,
    prefix,
    defaultJobOptions: {
      attempts: options.attempts ?? 5,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
      // The data holds the fan's words: gone once sent, a day in the failed set for an operator.
      removeOnComplete: true,
      removeOnFail: { age: 24 * 3600 }
    }
  })
  const worker = new Worker<LateJobData>(LATE_ANSWER_QUEUE, lateAnswerProcessor(options), {
    connection: workerConnection,
    prefix,
    concurrency: 50,
    // An instance that dies while sending gives its job up after one or two leases, not BullMQ's 30 s.
    lockDuration: 2 * leaseMs,
    stalledInterval: leaseMs,
    maxStalledCount: 2
  })
  // Once per outage, and only the kind: a Redis error can carry its command's arguments.
  let warned = false
  /* c8 ignore start -- a Redis that goes down under a running queue: reached or not by timing in the in-process tests */
  const onError = (error: Error): void => {
    if (warned) return
    warned = true
    log.warn({ errorType: error.name, code: (error as { code?: unknown }).code }, 'late answer queue: Redis unavailable; late answers stay in process until it is back')
  }
  for (const connection of [queueConnection, workerConnection]) {
    connection.on('error', onError)
    connection.on('ready', () => { warned = false })
  }
  /* c8 ignore stop */
  queue.on('error', onError)
  worker.on('error', onError)
  worker.on('failed', (job, error) => {
    /* c8 ignore next -- BullMQ passes no job only for a failure outside one */
    if (job === undefined) return
    if (job.finishedOn === undefined && error.name !== 'UnrecoverableError') {
      log.warn(failureFields(job, error), 'late answer failed; retried with backoff')
      return
    }
    log.error(failureFields(job, error), 'late answer given up (dead letter): the fan gets no answer to this push')
    options.deadLettered(accountOf(job))
  })
  return {
    lateAnswers: {
      lease: (account, push, pushLog) => leaseLateAnswer(queue, { accountId: account.id, message: push.message as unknown as Record<string, unknown>, delivered: 0 }, {
        jobId: lateJobId(account.settings.appId, pushIdentity(push)),
        leaseMs,
        log: pushLog
      })
    },
    async close () {
      closing = true
      // With Redis gone the active jobs cannot be finished here: force, so that BullMQ stops its lock
      // timers instead of waiting forever; their locks lapse and another instance takes them over.
      const redisUp = workerConnection.status === 'ready'
      // Up is only what the client last saw: Redis may have died or hung since, and then BullMQ's
      // graceful close and QUIT never settle. So the whole of it has one deadline.
      const graceful = (async () => {
        await Promise.allSettled([worker.close(!redisUp), queue.close()])
        await Promise.allSettled([queueConnection.quit(), workerConnection.quit()])
        return true
      })()
      if (await Promise.race([graceful, sleep(CLOSE_WAIT_MS, false, { ref: false })])) return
      // A worker.close() that never settles leaves BullMQ's lock-renewal timer running, which
      // keeps the process alive (README, "Running several instances"): stop it here.
      stopLockRenewal(worker, log)
      // Not awaited: BullMQ's disconnect waits for a Redis that may never answer.
      void Promise.allSettled([worker.disconnect(), queue.disconnect()])
      queueConnection.disconnect()
      workerConnection.disconnect()
    }
  }
}
