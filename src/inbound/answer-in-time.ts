import type { Account } from '../accounts/account.js'
import type { BotLogger } from '../bot/bot.js'
import type { InboundPush } from '../protocol/inbound-push.js'
import { textsOf } from '../late-answers/answer-texts.js'
import type { LateAnswerLease, LateAnswers } from '../late-answers/late-answer-lease.js'
import { holdAfterUnauthorized } from '../late-answers/unauthorized-hold.js'
import { reply, type Reply } from '../protocol/reply.js'
import { answerPush, renderPassive } from './answer-push.js'
import { answerOnce, pushIdentity, type ExactlyOnceOptions, type OnceOutcome } from './exactly-once.js'
import { createHeldAnswers, HOLDING_TEXT, withHeld, type HeldAnswers } from './held-answers.js'
import { deliverLateTexts } from './late-reply.js'
import { effectiveLateMode } from './late-reply-mode.js'
import { answerInRetryWindow, isFirstDelivery } from './retry-window.js'

export interface InTimeOptions {
  account: Account
  push: InboundPush
  log: BotLogger
  nowSeconds: () => number
  /** REPLY_DEADLINE_MS: how long a delivery may wait for the bot before WeChat must be answered. */
  replyDeadlineMs: number
  /** The dedup store and its timings, as answerOnce takes them. */
  once: Omit<ExactlyOnceOptions, 'waitMs'>
  /** Counts and times one computation of an answer; returns the stop of the timer. */
  measure: () => () => void
  /** With a shared store: an answer that misses the deadline becomes a job another instance finishes. */
  lateAnswers?: LateAnswers | undefined
}

/**
 * One delivery's answer, computed once per push across instances, under the account's
 * LATE_REPLY_MODE: in customer-service mode an answer that misses the deadline (and the rest of
 * a long one) follows through message/custom/send; in retry-window mode WeChat's retries carry
 * it, and what none of them could carry goes with the fan's next message.
 */
export async function answerInTime (options: InTimeOptions): Promise<OnceOutcome> {
  const { account, push, log } = options
  const mode = await effectiveLateMode(account.settings.lateReplyMode, account.store, log)
  if (mode === 'customer-service') return await withCustomerService(options)
  const held = heldFor(options)
  // Only fan messages take held answers: events such as TEMPLATESENDJOBFINISH come from no fan's hand.
  if (push.kind === 'message' && await held.waiting() && await isFirstDelivery(options.once.store, pushIdentity(push))) {
    return await handOver(options, held)
  }
  return await withRetryWindow(options, held)
}

const heldFor = ({ account, push, log }: InTimeOptions): HeldAnswers =>
  createHeldAnswers({ store: account.store, openid: push.message.FromUserName, log })

/** How long `success` may wait for a late answer's job to reach Redis; past it the add carries on. */
const LEASE_ADD_WAIT_MS = 250

/**
 * `success` at the deadline and the answer later as customer-service messages. With lateAnswers
 * (REDIS_URL) the push becomes a job at the miss, which outlives this instance; else in process.
 */
async function withCustomerService (options: InTimeOptions): Promise<OnceOutcome> {
  const { account, push, log, replyDeadlineMs, lateAnswers } = options
  const followUps: string[] = []
  let missed = false
  let lease: LateAnswerLease | undefined
  const outcome = await answerOnce(pushIdentity(push), async () => {
    const stop = options.measure()
    try {
      return await answerPush(push, {
        bot: async (pushed, context) => {
          try {
            return await account.bot(pushed, context)
          } catch (error) {
            // After the deadline: nothing follows, as without jobs; in time the lease does not exist.
            await lease?.abandon()
            throw error
          }
        },
        log,
        nowSeconds: options.nowSeconds,
        deadlineMs: replyDeadlineMs,
        context: { sendAfterReply: (texts) => { followUps.push(...texts) } },
        replyWith: async (answer, late) => {
          missed = late
          if (!late || lateAnswers === undefined) return answer
          lease = lateAnswers.lease(account, push, log)
          // Durable before WeChat hears `success`, unless Redis is slow: then the add goes on meanwhile.
          await Promise.race([lease.added, new Promise((resolve) => setTimeout(resolve, LEASE_ADD_WAIT_MS).unref())])
          return answer
        },
        late: async (answer) => {
          const texts = [...textsOf(answer, log), ...followUps]
          if (lease === undefined || await lease.finish(texts) === 'local') await sendLate(options, texts)
        }
      })
    } finally {
      stop()
    }
  }, { ...options.once, waitMs: replyDeadlineMs })
  // The route writes the passive reply before the event loop's next turn: these follow it.
  // sendLate never rejects: every failure in it is logged where it happens.
  if (outcome.status !== 'answered') return outcome
  if (missed) return { ...outcome, late: true }
  if (followUps.length > 0) setImmediate(() => { void sendLate(options, followUps) })
  return outcome
}

/** In order; a 48001 in auto mode switches the account and keeps what was not sent for the fan. */
async function sendLate (options: InTimeOptions, texts: string[]): Promise<void> {
  const { account, push, log } = options
  if (texts.length === 0) return
  const openid = push.message.FromUserName
  const result = await deliverLateTexts(openid, texts, { send: account.api.sendCustomText, log })
  await holdAfterUnauthorized(account, openid, texts.slice(result.delivered), result.code, log)
}

/** The holding text's place is taken by the held answers: they go first, the new answer after them if it can. */
async function handOver (options: InTimeOptions, held: HeldAnswers): Promise<OnceOutcome> {
  const { account, push, log, replyDeadlineMs } = options
  let late = false
  const outcome = await answerOnce(pushIdentity(push), async () => {
    const stop = options.measure()
    try {
      const waiting = await held.take()
      try {
        return await answerPush(push, {
          bot: account.bot,
          log,
          nowSeconds: options.nowSeconds,
          deadlineMs: replyDeadlineMs,
          replyWith: async (answer, missed) => {
            late = missed
            const own = missed ? [HOLDING_TEXT] : textsOf(answer, log)
            if (waiting.length === 0) return missed ? reply.text(HOLDING_TEXT) : answer
            const { text, rest } = withHeld(waiting, own[0])
            await held.add(rest)
            return reply.text(text)
          },
          late: async (answer) => { await held.add(textsOf(answer, log)) }
        })
      } catch (error) {
        // The bot failed in time: WeChat delivers again, and the retry must find them still held.
        await held.add(waiting)
        throw error
      }
    } finally {
      stop()
    }
  }, { ...options.once, waitMs: replyDeadlineMs })
  return late && outcome.status === 'answered' ? { ...outcome, late: true } : outcome
}

async function withRetryWindow (options: InTimeOptions, held: HeldAnswers): Promise<OnceOutcome> {
  const { account, push, log, replyDeadlineMs, nowSeconds } = options
  let answer: Reply | undefined
  return await answerInRetryWindow({
    identity: pushIdentity(push),
    once: options.once,
    deadlineMs: replyDeadlineMs,
    // Past WeChat's 5 s with the default 4.5 s deadline; the next delivery usually ends the wait first.
    holdMs: 2 * replyDeadlineMs,
    log,
    compute: async () => {
      const stop = options.measure()
      try {
        return await answerPush(push, { bot: account.bot, log, nowSeconds, replyWith: (given) => (answer = given) })
      } finally {
        stop()
      }
    },
    holding: () => renderPassive(push, reply.text(HOLDING_TEXT), { nowSeconds, log }),
    heldOver: async () => { await held.add(textsOf(answer, log)) }
  })
}
