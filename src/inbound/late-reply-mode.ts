import { DEFAULT_LATE_REPLY_MODE, type LateReplyMode } from '../accounts/account-settings.js'
import type { BotLogger } from '../bot/bot.js'
import type { Store } from '../store/store.js'

/** How this push's late answer travels: through message/custom/send, or WeChat's retries. */
export type EffectiveLateMode = Exclude<LateReplyMode, 'auto'>

/** In the account's store: present once a customer-service message got 48001 in auto mode. */
export const RETRY_WINDOW_KEY = 'late-reply:retry-window'
/**
 * A week: an account that gains the rights (verification) is tried again then; one 48001
 * switches it back at the cost of one answer waiting for the fan's next message.
 */
export const RETRY_WINDOW_TTL_MS = 7 * 24 * 3600 * 1000
/**
 * Each instance reads the switch at most this often. A stale "not switched" costs one more 48001
 * on that instance, which switches it too: nothing is lost, so no read per push is needed.
 */
export const SWITCH_CACHE_MS = 10_000

const seen = new WeakMap<Store, { switched: boolean, until: number }>()

const warn = (log: BotLogger, operation: string, error: unknown): void => {
  log.warn({ operation, errorType: (error as Error).name }, 'late reply mode store failed; customer-service messages are tried')
}

/** The mode for a push of an account: its own, or for auto whether a 48001 switched it (any instance). */
export async function effectiveLateMode (mode: LateReplyMode | undefined, store: Store, log: BotLogger, cacheMs = SWITCH_CACHE_MS): Promise<EffectiveLateMode> {
  const configured = mode ?? DEFAULT_LATE_REPLY_MODE
  if (configured !== 'auto') return configured
  const now = Date.now()
  const cached = seen.get(store)
  if (cached !== undefined && cached.until > now) return cached.switched ? 'retry-window' : 'customer-service'
  let switched = false
  try {
    switched = await store.get(RETRY_WINDOW_KEY) !== null
  } catch (error) {
    warn(log, 'read', error)
  }
  seen.set(store, { switched, until: now + cacheMs })
  return switched ? 'retry-window' : 'customer-service'
}

/** After a 48001 in auto mode: this instance at once, the others through the store. */
export async function switchToRetryWindow (store: Store, log: BotLogger): Promise<void> {
  seen.set(store, { switched: true, until: Date.now() + SWITCH_CACHE_MS })
  try {
    await store.set(RETRY_WINDOW_KEY, new Date().toISOString(), RETRY_WINDOW_TTL_MS)
  } catch (error) {
    warn(log, 'write', error)
  }
}
