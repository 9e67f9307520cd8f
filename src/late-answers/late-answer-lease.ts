import { setTimeout as sleep } from 'node:timers/promises'
import type { Job, Queue } from 'bullmq'
import type { Account } from '../accounts/account.js'
import type { BotLogger } from '../bot/bot.js'
import type { InboundPush } from '../protocol/inbound-push.js'
import { LATE_ANSWER_JOB, type LateJobData } from './late-job-data.js'

/** What became of this instance's answer: a worker sends it, another instance took it over, or no job holds it (send it here). */
export type LeaseEnd = 'queued' | 'taken' | 'local'

/** A late answer this instance is computing, held as a delayed job whose delay it keeps pushing out. */
export interface LateAnswerLease {
  /** Settles once the job is in Redis (true) or could not be added (false); never rejects. */
  readonly added: Promise<boolean>
  /** This instance's answer, into the job, which any instance's worker then sends. Never rejects. */
  finish(texts: readonly string[]): Promise<LeaseEnd>
  /** The bot failed after the deadline: as without jobs, nothing follows. Never rejects. */
  abandon(): Promise<void>
}

/** The seam answerInTime sees: one lease per push that missed the deadline. */
export interface LateAnswers {
  lease(account: Account, push: InboundPush, log: BotLogger): LateAnswerLease
}

export interface LeaseOptions {
  jobId: string
  /** How long the job waits for this instance after its last renewal before a worker takes it over. */
  leaseMs: number
  log: BotLogger
}

/**
 * How long an answer that is ready waits for its job's add (BullMQ waits for a Redis that is
 * down at boot): past it the answer goes in process, and a job that lands later is removed.
 */
export const ADD_GIVE_UP_MS = 1000

/** BullMQ's own refusals (job missing, not delayed) carry a negative code; a connection error does not. */
function notOurs (error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  return typeof code === 'number' && code < 0
}

/**
 * Adds the job delayed by one lease, renews the delay three times a lease while the bot runs,
 * and at the end writes the texts into the job and promotes it. When this instance dies the
 * delay runs out and a worker elsewhere runs the bot itself (the job carries no texts).
 */
export function leaseLateAnswer (queue: Queue<LateJobData>, data: LateJobData, { jobId, leaseMs, log }: LeaseOptions): LateAnswerLease {
  let timer: NodeJS.Timeout | undefined
  let taken = false
  let gaveUp = false
  // The id and kind of failure only: the job's data holds the fan's openid and words.
  const warn = (operation: string, error: unknown): void => {
    log.warn({ operation, lateJob: jobId, errorType: (error as Error).name, code: (error as { code?: unknown }).code }, 'late answer job: Redis call failed')
  }
  const renew = async (job: Job<LateJobData>): Promise<void> => {
    try {
      await job.changeDelay(leaseMs)
    } catch (error) {
      if (!notOurs(error)) return warn('renew', error)
      // A worker took it: this instance stalled past its lease. That worker answers.
      taken = true
      clearInterval(timer)
    }
  }
  const added = queue.add(LATE_ANSWER_JOB, data, { jobId, delay: leaseMs }).then(async (job) => {
    if (gaveUp) {
      await job.remove().catch((error: unknown) => { warn('remove', error) })
      return undefined
    }
    timer = setInterval(() => { void renew(job) }, Math.floor(leaseMs / 3))
    // A closing server does not wait for it: the lease running out is how another instance finishes.
    timer.unref()
    return job
  }, (error: unknown) => {
    warn('add', error)
    return undefined
  })
  return {
    added: added.then((job) => job !== undefined),
    async finish (texts) {
      const job = await Promise.race([added, sleep(ADD_GIVE_UP_MS, undefined, { ref: false })])
      clearInterval(timer)
      gaveUp = job === undefined
      if (job === undefined) return 'local'
      if (taken) return 'taken'
      try {
        if (texts.length === 0) {
          await job.remove()
          return 'queued'
        }
        await job.updateData({ ...data, texts: [...texts] })
        await job.promote()
      } catch (error) {
        if (notOurs(error)) return 'taken'
        // Still delayed in Redis: when the lease runs out a worker sends the texts, or computes them.
        warn('finish', error)
      }
      return 'queued'
    },
    async abandon () {
      const job = await added
      clearInterval(timer)
      // A job left behind would run the bot again when its lease runs out: at most that.
      await job?.remove().catch((error: unknown) => { warn('abandon', error) })
    }
  }
}
