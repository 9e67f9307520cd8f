import type { InboundPush } from '../protocol/inbound-push.js'
import type { Store } from '../store/store.js'

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
  /** How long a claim lives if its holder dies before answering. */
  claimTtlMs: number
  /** How long a concurrent retry waits for the first delivery's answer. */
  waitMs: number
  pollMs: number
}

export type OnceOutcome =
  | { status: 'answered', answer: string }
  | { status: 'duplicate', answer: string }
  /** Another delivery is still working on it: let WeChat retry later. */
  | { status: 'busy' }

const PENDING = 'pending'
const DONE = 'done:'

/**
 * Runs `compute` for the first delivery of a push only. Later deliveries get the same answer;
 * those that arrive while it runs wait for it. When `compute` fails the claim is released, so
 * WeChat's next retry runs it again and nothing is lost.
 */
export async function answerOnce (identity: string, compute: () => Promise<string>, options: ExactlyOnceOptions): Promise<OnceOutcome> {
  const key = `push:${identity}`
  const deadline = Date.now() + options.waitMs
  for (;;) {
    if (await options.store.setIfAbsent(key, PENDING, options.claimTtlMs)) {
      let answer: string
      try {
        answer = await compute()
      } catch (error) {
        await options.store.delete(key).catch(() => {})
        throw error
      }
      await options.store.set(key, DONE + answer, options.replyTtlMs)
      return { status: 'answered', answer }
    }
    const seen = await waitForAnswer(key, deadline, options)
    if (seen === undefined) return { status: 'busy' }
    if (seen !== null) return { status: 'duplicate', answer: seen }
    // The first delivery failed and released its claim: try to take it over.
  }
}

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
