import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'

/** The one place tests learn where Redis is: env REDIS_URL, else the local default. */
export function redisUrl (env: NodeJS.ProcessEnv = process.env): string {
  return env.REDIS_URL ?? 'redis://127.0.0.1:6379'
}

/** host:port only, so a password in REDIS_URL never reaches test output. */
export function redactedRedisUrl (url: string): string {
  try {
    const u = new URL(url)
    return `${u.hostname}:${u.port || '6379'}`
  } catch {
    return '(unparsable REDIS_URL)'
  }
}

/** A fresh prefix per run, so parallel test files and engineers never share keys. */
export function uniqueKeyPrefix (label: string): string {
  return `wemp-test:${label}:${randomBytes(6).toString('hex')}:`
}

/** Resolves true when Redis answers PING within a second; never rejects, never retries. */
export async function redisReachable (url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    commandTimeout: 1000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null
  })
  probe.on('error', () => {})
  try {
    await probe.connect()
    return (await probe.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    probe.disconnect()
  }
}

/** The subset of a tap Test this helper touches (kept narrow so it stays testable). */
export interface SkipOrFail {
  pass(message: string, extra: { skip: string }): unknown
  fail(message: string): unknown
}

/**
 * The Redis URL when Redis answers; otherwise undefined after marking the test skipped — or
 * failed when env CI is set, because CI must never go green by silently skipping Redis tests.
 * Usage: `const url = await redisUrlOrSkip(t); if (url === undefined) return`
 */
export async function redisUrlOrSkip (t: SkipOrFail, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const url = redisUrl(env)
  if (await redisReachable(url)) return url
  const where = redactedRedisUrl(url)
  if (env.CI !== undefined && env.CI !== '') {
    t.fail(`Redis unreachable at ${where} and CI is set: Redis tests must run in CI`)
  } else {
    // A skipped assertion shows up as "# SKIP <reason>" in the TAP summary.
    t.pass('needs Redis', { skip: `Redis unreachable at ${where} (set REDIS_URL; with CI set this fails)` })
  }
  return undefined
}

/** Best-effort teardown of every key under a test prefix (SCAN, not KEYS, to stay polite to a shared Redis). */
export async function deleteKeysWithPrefix (url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null })
  redis.on('error', () => {})
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
      if (keys.length > 0) await redis.unlink(...keys)
      cursor = next
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}
