import fp from 'fastify-plugin'
import type { Account } from '../src/accounts/account.js'
import type { LateAnswers } from '../src/late-answers/late-answer-lease.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** With REDIS_URL: late answers as BullMQ jobs any instance finishes; undefined: in process. */
    lateAnswers: LateAnswers | undefined
  }
}

export interface LateAnswerQueueOptions {
  redisUrl?: string | undefined
  /** REDIS_KEY_PREFIX: BullMQ's keys go under it + "jobs". */
  keyPrefix: string
  leaseMs: number
  /** The account registry's lookup: the worker serves jobs of the accounts this instance serves. */
  account(id: string): Account | undefined
}

/**
 * The late-answer queue and this instance's worker, started with the app when REDIS_URL is set
 * and closed with it (active jobs finish first). bullmq is imported only then.
 */
export const lateAnswerQueuePlugin = fp<LateAnswerQueueOptions>(async (app, options) => {
  if (options.redisUrl === undefined) {
    app.decorate('lateAnswers', undefined)
    return
  }
  const { startLateAnswerQueue } = await import('../src/late-answers/late-answer-queue.js')
  const running = startLateAnswerQueue({
    redisUrl: options.redisUrl,
    prefix: `${options.keyPrefix}jobs`,
    leaseMs: options.leaseMs,
    account: options.account,
    log: app.log,
    deadLettered: (account) => { app.metrics.lateAnswersDeadLettered.inc({ account }) }
  })
  app.decorate('lateAnswers', running.lateAnswers)
  app.addHook('onClose', async () => { await running.close() })
}, { name: 'wemp-late-answer-queue', fastify: '5.x', dependencies: ['wemp-metrics'] })
