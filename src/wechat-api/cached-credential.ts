import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Store } from '../store/store.js'
import { credentialCooldownMs } from './cooldown-policy.js'
import { WeChatApiError } from './wechat-api-error.js'
import type { WeChatApiErrorDetails } from './wechat-api-error.js'

export interface FetchedCredential {
  value: string
  expiresInSeconds: number
}

export interface CachedCredentialOptions {
  store: Store
  /** Store key of the value; the lock and cool-down live next to it. Namespace it by appid. */
  key: string
  /** The endpoint's path, for errors raised here (lock wait, cool-down). */
  path: string
  fetch: () => Promise<FetchedCredential>
  lockTtlMs?: number
  maxWaitMs?: number
  pollMs?: number
}

export interface CachedCredential {
  get(): Promise<string>
  /** Forgets `failed` only while it is still the cached value; true when it was. */
  invalidate(failed: string): Promise<boolean>
}

const SAFETY_MARGIN_MS = 5 * 60_000
const MIN_TTL_MS = 30_000

/** Cache lifetime: expiry minus five minutes, at least 30 s, never past the real expiry. */
export function credentialTtlMs (expiresInSeconds: number): number {
  const lifetime = expiresInSeconds * 1000
  return Math.min(lifetime, Math.max(MIN_TTL_MS, lifetime - SAFETY_MARGIN_MS))
}

/**
 * A credential (access_token, jsapi_ticket) shared by every instance through the store. One
 * refresh at a time across the cluster: the refresher holds a lock (SET NX PX, released by
 * compare-and-delete) while the others poll the store; within one process concurrent callers
 * share one promise. A failure that should not be retried soon is recorded in the store as a
 * cool-down, during which every instance rejects at once with the same error.
 */
export function createCachedCredential (options: CachedCredentialOptions): CachedCredential {
  const { store, key, path } = options
  const lockKey = `${key}:lock`
  const cooldownKey = `${key}:cooldown`
  const lockTtlMs = options.lockTtlMs ?? 10_000
  const maxWaitMs = options.maxWaitMs ?? 5_000
  const pollMs = options.pollMs ?? 50
  let inFlight: Promise<string> | undefined

  async function throwIfCoolingDown (): Promise<void> {
    const record = await store.get(cooldownKey)
    if (record === null) return
    const details = JSON.parse(record) as WeChatApiErrorDetails
    throw new WeChatApiError({ ...details, detail: 'cooling down, not called again yet' })
  }

  async function fetchAndStore (): Promise<string> {
    try {
      const fetched = await options.fetch()
      await store.set(key, fetched.value, credentialTtlMs(fetched.expiresInSeconds))
      return fetched.value
    } catch (error) {
      const cooldownMs = error instanceof WeChatApiError ? credentialCooldownMs(error) : 0
      if (cooldownMs > 0) await store.set(cooldownKey, JSON.stringify((error as WeChatApiError).toDetails()), cooldownMs)
      throw error
    }
  }

  async function refresh (): Promise<string> {
    const deadline = Date.now() + maxWaitMs
    for (;;) {
      await throwIfCoolingDown()
      const lockValue = randomUUID()
      if (await store.setIfAbsent(lockKey, lockValue, lockTtlMs)) {
        try {
          // Another instance may have stored a fresh value between our miss and our lock.
          return await store.get(key) ?? await fetchAndStore()
        } finally {
          await store.deleteIfEquals(lockKey, lockValue)
        }
      }
      if (Date.now() >= deadline) {
        throw new WeChatApiError({ kind: 'timeout', path, detail: `another instance held the refresh lock for ${maxWaitMs} ms` })
      }
      await sleep(pollMs)
      const stored = await store.get(key)
      if (stored !== null) return stored
    }
  }

  return {
    async get () {
      const cached = await store.get(key)
      if (cached !== null) return cached
      inFlight ??= refresh().finally(() => { inFlight = undefined })
      return await inFlight
    },
    async invalidate (failed) {
      return await store.deleteIfEquals(key, failed)
    }
  }
}
