import { setTimeout as sleep } from 'node:timers/promises'
import type { BotLogger } from '../bot/bot.js'
import type { Guard, Store } from '../store/store.js'
import { answerOnce, type ExactlyOnceOptions, type OnceOutcome } from './exactly-once.js'

/** WeChat delivers a push three times at most, each time waiting 5 s ("总共重试三次"). */
export const WECHAT_DELIVERIES = 3
/** The per-push records outlive any answer: LLM_TIMEOUT_MS is ten minutes at most. */
export const WINDOW_RECORD_TTL_MS = 15 * 60 * 1000
/** Deliveries waiting for an answer look again this often (three store reads each time). */
export const WINDOW_POLL_MS = 50

const READY = 'ready'
const HELD = 'held'

/** Delivery n of a push claims this key: the n-th claim is the n-th delivery, on any instance. */
export function deliveryKey (identity: string, n: number): string {
  return `delivery:${identity}:${n}`
}

/** Who carries the answer: `ready` (a delivery) or `held` (the fan's next message); set once. */
export function fateKey (identity: string): string {
  return `fate:${identity}`
}

export interface RetryWindowOptions {
  /** pushIdentity(push). */
  identity: string
  /** The one computation, without a deadline: the rendered reply. */
  compute: () => Promise<string>
  /** The dedup store, as answerOnce uses it. */
  once: Omit<ExactlyOnceOptions, 'waitMs' | 'pollMs'>
  /** The last delivery answers within this, whatever it has: REPLY_DEADLINE_MS. */
  deadlineMs: number
  /** An earlier delivery is kept open this long at most (past WeChat's 5 s) if no next delivery shows up. */
  holdMs: number
  /** The reply of the last delivery when the answer is not ready: the holding text, rendered. */
  holding: () => string
  /** The computation ended after the last delivery gave the holding text: keep its answer for the fan. */
  heldOver: () => Promise<void>
  log: BotLogger
  deliveries?: number
}

const BUSY: OnceOutcome = { status: 'busy' }

/** Whether no delivery of this push has been seen: a push whose answer cannot wait for a retry. */
export async function isFirstDelivery (store: Store, identity: string): Promise<boolean> {
  return await store.get(deliveryKey(identity, 1)) === null
}

/** The delivery's number; undefined when the replay guard, checked with the first delivery's record, holds another body. */
async function claimDelivery (store: Store, identity: string, deliveries: number, guard: Guard | undefined): Promise<number | undefined> {
  for (let n = 1; n <= deliveries; n++) {
    const key = deliveryKey(identity, n)
    if (n === 1 && guard !== undefined) {
      const first = await store.guardedSetIfAbsent(guard, key, '1', WINDOW_RECORD_TTL_MS)
      if (first.outcome === 'guard-differs') return undefined
      if (first.outcome === 'set') return 1
    } else if (await store.setIfAbsent(key, '1', WINDOW_RECORD_TTL_MS)) {
      return n
    }
  }
  return deliveries
}

/**
 * Answers a delivery of a push with the answer as soon as any instance has it. A delivery before
 * the last says nothing while it waits (an early `success` would end WeChat's retries): WeChat
 * hangs up after 5 s and delivers again, and the wait ends when that next delivery is counted.
 * The last delivery answers by `deadlineMs`: the answer, or the holding text, after which the
 * answer, whenever it comes, is kept for the fan's next message. One computation in all.
 */
export async function answerInRetryWindow (options: RetryWindowOptions): Promise<OnceOutcome> {
  const { identity, log } = options
  // The guard is checked once, before this delivery writes anything: with its record.
  const { guard, ...once } = options.once
  const { store } = once
  const deliveries = options.deliveries ?? WECHAT_DELIVERIES
  const arrived = Date.now()
  const delivery = await claimDelivery(store, identity, deliveries, guard)
  if (delivery === undefined) return { status: 'guard-differs' }
  const last = delivery >= deliveries
  const until = arrived + (last ? options.deadlineMs : options.holdMs)
  let waiting = true
  let ours = false

  // The claimer settles the answer's fate after answerOnce stored it, so a `ready` fate always finds it.
  const settle = async (): Promise<void> => {
    if (await store.setIfAbsent(fateKey(identity), READY, WINDOW_RECORD_TTL_MS)) return
    log.info({ delivery }, 'the answer came after the last delivery; it waits for the fan\'s next message')
    await options.heldOver()
  }
  const attempt = (): Promise<OnceOutcome> => {
    const outcome = answerOnce(identity, async () => { ours = true; return await options.compute() }, { ...once, waitMs: 0, pollMs: WINDOW_POLL_MS })
    outcome.then(async (settled) => { if (ours && settled.status === 'answered') await settle() }, (err: unknown) => {
      // While this delivery waits, it reports the failure itself (and WeChat's next delivery computes again).
      if (!waiting) log.error({ err }, 'handler failed after its delivery ended')
    }).catch((err: unknown) => { log.warn({ errorType: (err as Error).name }, 'the answer\'s fate could not be recorded') })
    return outcome
  }

  // The answer is not in it: it follows with the fan's next message.
  const holdingText = (): OnceOutcome => ({ status: 'answered', answer: options.holding(), late: true })

  // Once the holding text went out, the answer belongs to the fan's next message: no delivery shows it too.
  async function unlessHeld (outcome: OnceOutcome): Promise<OnceOutcome> {
    return await store.get(fateKey(identity)) === HELD ? holdingText() : outcome
  }

  async function giveUp (): Promise<OnceOutcome> {
    if (await store.setIfAbsent(fateKey(identity), HELD, WINDOW_RECORD_TTL_MS)) {
      log.info({ delivery }, 'no answer by the last delivery; the fan gets the holding text')
      return holdingText()
    }
    // `ready`: the answer is stored; `held`: an earlier last delivery already gave the holding text.
    if (await store.get(fateKey(identity)) === READY) {
      const outcome = await Promise.race([attempt(), sleep(WINDOW_POLL_MS * 2, BUSY)])
      if (outcome.status !== 'busy') return outcome
    }
    return holdingText()
  }

  try {
    let pending: Promise<OnceOutcome> | undefined
    for (;;) {
      pending ??= attempt()
      const tick = sleep(WINDOW_POLL_MS, undefined)
      const outcome = await Promise.race([pending, tick])
      if (outcome !== undefined) {
        if (outcome.status !== 'busy') return await unlessHeld(outcome)
        pending = undefined
        await tick
      }
      if (Date.now() >= until) return last ? await giveUp() : BUSY
      // The next delivery is here, so WeChat has hung up on this one.
      if (!last && await store.get(deliveryKey(identity, delivery + 1)) !== null) return BUSY
    }
  } finally {
    waiting = false
  }
}
