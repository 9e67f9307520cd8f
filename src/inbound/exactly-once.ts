import { randomUUID } from 'node:crypto'
import type { InboundPush } from '../protocol/inbound-push.js'
import type { Guard, Store } from '../store/store.js'

/**
 * WeChat re-sends a push it got no answer to within 5 s, up to three times. A push is identified
 * by fan + MsgId (events: fan + CreateTime + Event + EventKey, docs/security.md B 18) within
 * its account, whose store view puts every key under the account's AppID.
 */
export function pushIdentity (push: InboundPush): string {
  const m = push.message as Record<string, unknown>
  if (typeof m.MsgId === 'string') return `${m.FromUserName as string}:m:${m.MsgId}`
  const eventKey = typeof m.EventKey === 'string' ? m.EventKey : ''
  return `${m.FromUserName as string}:e:${m.CreateTime as string}:${String(m.Event ?? m.MsgType)}:${eventKey}`
}

export interface ExactlyOnceOptions {
  store: Store
  /** How long the answer is kept for later retries. */
  replyTtlMs: number
  /**
   * The claim's lease: how long it outlives a holder that died. The holder renews it every third
   * of this while `compute` runs, so only a dead (or frozen) holder lets it lapse.
   */
  claimTtlMs: number
  /**
   * False when the store lives and dies with this process (the memory store of a single
   * instance): a holder cannot die and leave its claim behind, so nothing renews it. Default true.
   */
  renewClaim?: boolean
  /** How long a concurrent retry waits for the first delivery's answer. */
  waitMs: number
  /** Checked and written with the claim, in one round trip: the plain-mode replay guard (replay-guard.ts). */
  guard?: Guard | undefined
  pollMs: number
}

export type OnceOutcome =
  /** `late`: set by the deadline's callers above (answer-in-time.ts, retry-window.ts) when the bot's answer follows this reply. */
  | { status: 'answered', answer: string, late?: true }
  | { status: 'duplicate', answer: string }
  /** Another delivery is still working on it: let WeChat retry later. */
  | { status: 'busy' }
  /** The guard holds another value (a signature seen with another body): nothing was claimed or run. */
  | { status: 'guard-differs' }

/** A claim reads `pending:<holder>`: unique to the delivery holding it, so only it renews or releases it. */
const PENDING = 'pending:'
const DONE = 'done:'

/**
 * Runs `compute` for the first delivery of a push only. Later deliveries get the same answer;
 * those that arrive while it runs wait for it. The claim is a lease that lives only as long as
 * its holder: when `compute` fails it is released, when the instance dies it lapses within
 * `claimTtlMs`; either way a waiting or later delivery takes it over and nothing is lost.
 */
export async function answerOnce (identity: string, compute: () => Promise<string>, options: ExactlyOnceOptions): Promise<OnceOutcome> {
  const key = `push:${identity}`
  const claim = PENDING + randomUUID()
  const deadline = Date.now() + options.waitMs
  for (;;) {
    const attempt = await tryClaim(key, claim, options)
    if (attempt === GUARD_DIFFERS) return { status: 'guard-differs' }
    if (attempt === CLAIMED) {
      return { status: 'answered', answer: await computeHolding(key, claim, compute, options) }
    }
    // A retry of a push already answered is answered from what the claim read: no second read.
    const seen = attempt?.startsWith(DONE) === true ? attempt.slice(DONE.length) : await waitForAnswer(key, deadline, options)
    if (seen === undefined) return { status: 'busy' }
    if (seen !== null) return { status: 'duplicate', answer: seen }
    // The first delivery failed or died and its claim is gone: try to take it over.
  }
}

const CLAIMED = Symbol('claimed')
const GUARD_DIFFERS = Symbol('guard differs')

/** CLAIMED, GUARD_DIFFERS, or what holds the key when the store said so (undefined: not read). */
async function tryClaim (key: string, claim: string, options: ExactlyOnceOptions): Promise<typeof CLAIMED | typeof GUARD_DIFFERS | string | undefined> {
  const { store, guard } = options
  if (guard === undefined) return await store.setIfAbsent(key, claim, options.claimTtlMs) ? CLAIMED : undefined
  const result = await store.guardedSetIfAbsent(guard, key, claim, options.claimTtlMs)
  if (result.outcome === 'present') return result.value
  return result.outcome === 'set' ? CLAIMED : GUARD_DIFFERS
}

async function computeHolding (key: string, claim: string, compute: () => Promise<string>, options: ExactlyOnceOptions): Promise<string> {
  const { store } = options
  const stopRenewing = options.renewClaim !== false ? renewWhileRunning(store, key, claim, options.claimTtlMs) : noop
  let answer: string
  try {
    answer = await compute()
  } catch (error) {
    stopRenewing()
    await store.deleteIfEquals(key, claim).catch(() => {})
    throw error
  }
  stopRenewing()
  // Unconditionally: had the lease lapsed and another delivery taken over, this answer is as good as its.
  await store.set(key, DONE + answer, options.replyTtlMs)
  return answer
}

/**
 * Renews the lease every third of its life until stopped. A renewal that fails (the store down)
 * or finds the claim no longer ours changes nothing here: the handler runs on, and the next
 * renewal tries again (the fallback store may have answered from memory this once).
 */
function renewWhileRunning (store: Store, key: string, claim: string, ttlMs: number): () => void {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  const schedule = (): void => {
    // A renewal waits for the previous one, so a slow store never piles them up.
    timer = setTimeout(() => {
      void store.renewIfEquals(key, claim, ttlMs).catch(() => false).then(() => { if (!stopped) schedule() })
    }, ttlMs / 3)
    // The handler keeps the process alive, not its lease.
    timer.unref()
  }
  schedule()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}

const noop = (): void => {}

/** The answer, null when the claim vanished, undefined when the deadline passed first. */
async function waitForAnswer (key: string, deadline: number, options: ExactlyOnceOptions): Promise<string | null | undefined> {
  for (;;) {
    const value = await options.store.get(key)
    if (value === null) return null
    if (value.startsWith(DONE)) return value.slice(DONE.length)
    if (Date.now() + options.pollMs > deadline) return undefined
    await new Promise((resolve) => setTimeout(resolve, options.pollMs))
  }
}
