import { Redis } from 'ioredis'
import type { GuardedSet, Store } from './store.js'

export interface RedisStoreLogger {
  warn(obj: object, msg: string): void
}

export interface RedisStoreOptions {
  /** redis://[user:pass@]host:port/db — never logged, it may hold a password. */
  url: string
  keyPrefix?: string
  /** Request-path commands must fail fast (docs/security.md G 69-70), so this stays well under WeChat's 5 s. */
  commandTimeoutMs?: number
  connectTimeoutMs?: number
  logger?: RedisStoreLogger
}

export type RedisStore = Store & {
  /** Readiness: true only when Redis answers right now. Never rejects. */
  ping(): Promise<boolean>
  /** The connection itself, for a library that takes an ioredis client (the web routes' rate limits). */
  readonly client: Redis
}

/** Reconnect backoff: quick first retries, capped so a long outage costs one attempt per 2 s. */
export function reconnectDelayMs (attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 6), 2000)
}

/** Redis wants integer milliseconds ≥ 1; rounding up keeps a key alive at least as long as asked. */
export function ttlToPx (ttlMs: number): number {
  // A non-finite TTL would mean "forever" or a Redis error; every key must expire, so refuse it.
  if (!Number.isFinite(ttlMs)) throw new RangeError(`ttlMs must be a finite number, got ${ttlMs}`)
  return Math.max(1, Math.ceil(ttlMs))
}

// Deletes only while the value is still ours, so a lock holder whose TTL ran out cannot
// release the lock a newer holder took (docs/security.md G 71).
const COMPARE_AND_DELETE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`

// Extends a lease only while it is still ours: a holder that lost its claim cannot revive it over
// the next holder's, and a claim already replaced by its answer keeps the answer's TTL.
const COMPARE_AND_EXPIRE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`

// The replay guard and the claim in one round trip (Store.guardedSetIfAbsent). Both keys are on
// one Redis: wemp does not run on Redis Cluster, whose slots could part them.
const GUARDED_SET_IF_ABSENT = `local seen = redis.call('GET', KEYS[1])
if seen and seen ~= ARGV[1] then return {0} end
if not seen then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
if redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4], 'NX') then return {1} end
return {2, redis.call('GET', KEYS[2])}`

type GuardedReply = [0] | [1] | [2, string]

function guardedSet (reply: GuardedReply): GuardedSet {
  if (reply[0] === 2) return { outcome: 'present', value: reply[1] }
  return reply[0] === 0 ? { outcome: 'guard-differs' } : { outcome: 'set' }
}

type RedisWithScripts = Redis & {
  guardedSetIfAbsent(guardKey: string, key: string, guardValue: string, guardPx: number, value: string, px: number): Promise<GuardedReply>
  compareAndDelete(key: string, value: string): Promise<number>
  compareAndExpire(key: string, value: string, px: number): Promise<number>
}

/** The shared store for several instances. A down or slow Redis makes calls reject quickly; it never hangs or crashes. */
export function createRedisStore (options: RedisStoreOptions): RedisStore {
  const commandTimeoutMs = options.commandTimeoutMs ?? 500
  const logger = options.logger
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix ?? 'wemp:',
    commandTimeout: commandTimeoutMs,
    // Connecting can take longer than one command, but a blackholed host must not stall reconnects for ioredis' 10 s.
    connectTimeout: options.connectTimeoutMs ?? 2000,
    // While disconnected, reject at once instead of queueing requests that WeChat will have given up on.
    enableOfflineQueue: false,
    // No silent replays after a reconnect: a resent SET NX that had already succeeded would
    // answer "taken" and a resent GETDEL would lose the value. The caller decides what to do.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: reconnectDelayMs,
    // Commands issued in the same tick (concurrent pushes) go out in one write.
    enableAutoPipelining: true
  }) as RedisWithScripts
  redis.defineCommand('guardedSetIfAbsent', { numberOfKeys: 2, lua: GUARDED_SET_IF_ABSENT })
  redis.defineCommand('compareAndDelete', { numberOfKeys: 1, lua: COMPARE_AND_DELETE })
  redis.defineCommand('compareAndExpire', { numberOfKeys: 1, lua: COMPARE_AND_EXPIRE })

  // Without a listener ioredis prints every reconnect failure; one warning per outage is enough.
  let warned = false
  redis.on('error', (err: NodeJS.ErrnoException) => {
    if (warned) return
    warned = true
    // Only code and message: the error object can carry command arguments (AUTH password, values).
    logger?.warn({ code: err.code, message: err.message }, 'redis store unavailable; commands fail fast until it reconnects')
  })
  redis.on('ready', () => { warned = false })

  return {
    client: redis,
    async get (key) {
      return await redis.get(key)
    },
    async set (key, value, ttlMs) {
      await redis.set(key, value, 'PX', ttlToPx(ttlMs))
    },
    async setIfAbsent (key, value, ttlMs) {
      return (await redis.set(key, value, 'PX', ttlToPx(ttlMs), 'NX')) === 'OK'
    },
    async guardedSetIfAbsent (guard, key, value, ttlMs) {
      return guardedSet(await redis.guardedSetIfAbsent(guard.key, key, guard.value, ttlToPx(guard.ttlMs), value, ttlToPx(ttlMs)))
    },
    async getAndDelete (key) {
      return await redis.getdel(key)
    },
    async delete (key) {
      await redis.del(key)
    },
    async deleteIfEquals (key, value) {
      return (await redis.compareAndDelete(key, value)) === 1
    },
    async renewIfEquals (key, value, ttlMs) {
      return (await redis.compareAndExpire(key, value, ttlToPx(ttlMs))) === 1
    },
    async ping () {
      try {
        return (await redis.ping()) === 'PONG'
      } catch {
        return false
      }
    },
    async close () {
      // QUIT lets in-flight replies drain; if Redis is gone or slow, drop the socket and stop reconnecting.
      try {
        await redis.quit()
      } catch {
        redis.disconnect()
      }
    }
  }
}
