import { UnrecoverableError, type Job } from 'bullmq'
import type { Account } from '../accounts/account.js'
import type { BotLogger } from '../bot/bot.js'
import { deliverLateTexts } from '../inbound/late-reply.js'
import { toInboundPush, type InboundPush } from '../protocol/inbound-push.js'
import type { XmlFields } from '../protocol/xml-codec.js'
import { textsOf } from './answer-texts.js'
import { lateJobDataCheck, type LateJobData } from './late-job-data.js'
import { holdAfterUnauthorized } from './unauthorized-hold.js'

export interface ProcessorDeps {
  /** The account registry: an account by id, with its bot, API client and store. */
  account(id: string): Account | undefined
  /** pino's logger fits: each job logs under its account and id. */
  log: ServerLogger
}

export type ServerLogger = BotLogger & { child(bindings: Record<string, unknown>): BotLogger }

/** The bot's answer again, with what it asks to send after it: no deadline here, the fan is waiting anyway. */
async function computeTexts (account: Account, push: InboundPush, log: BotLogger): Promise<string[]> {
  const followUps: string[] = []
  const answer = await account.bot(push, { log, sendAfterReply: (texts) => { followUps.push(...texts) } })
  return [...textsOf(answer, log), ...followUps]
}

/**
 * One attempt at a late answer's job: the texts its owner wrote, or (its owner died) the bot's
 * answer computed here, sent from the first not yet delivered. A permanent refusal is not retried
 * (UnrecoverableError); any other failure is, with BullMQ's backoff.
 */
export function lateAnswerProcessor (deps: ProcessorDeps): (job: Job<LateJobData>) => Promise<void> {
  return async (job) => {
    if (!lateJobDataCheck.Check(job.data)) throw new UnrecoverableError('late answer job data is invalid')
    const data = job.data
    const parsed = toInboundPush(data.message as XmlFields)
    if (!parsed.ok) throw new UnrecoverableError(`the job's push is invalid: ${parsed.field}`)
    const account = deps.account(data.accountId)
    if (account === undefined) throw new UnrecoverableError('the job\'s account is not served by this instance')
    const { push } = parsed
    const log = deps.log.child({ account: account.id, lateJob: job.id })
    let texts = data.texts
    if (texts === undefined) {
      log.info({ pushType: push.type }, 'late answer taken over from an instance that is gone: the bot answers again')
      texts = await computeTexts(account, push, log)
      // Recorded before sending: a retry sends these, not a second, different answer.
      await job.updateData({ ...data, texts })
    }
    const answer = texts
    const rest = answer.slice(data.delivered)
    const openid = push.message.FromUserName
    const result = await deliverLateTexts(openid, rest, {
      send: account.api.sendCustomText,
      log,
      // BullMQ retries the job, with its backoff, from the first text not delivered.
      attempts: 1,
      onDelivered: async (count) => { await job.updateData({ ...data, texts: answer, delivered: data.delivered + count }) }
    })
    if (result.delivered === rest.length) return
    if (await holdAfterUnauthorized(account, openid, rest.slice(result.delivered), result.code, log)) return
    const reason = `customer-service message not sent (errcode ${String(result.code)})`
    throw Object.assign(result.permanent === true ? new UnrecoverableError(reason) : new Error(reason), { code: result.code })
  }
}
