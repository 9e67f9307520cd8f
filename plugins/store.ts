import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Redis } from 'ioredis'
import { createFallbackStore } from '../src/store/fallback-store.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import type { Store } from '../src/store/store.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Shared state: Redis when configured (several instances), else this process's memory. */
    store: Store
    /** Readiness of the shared store: true when it answers now. */
    storeReady(): Promise<boolean>
    /** True when `store` is this process's own memory (no REDIS_URL): nothing else sees it, it cannot fail. */
    storeIsLocal: boolean
    /** Dedup state (claims, kept replies, seen signatures): the shared store with a local fallback, or apart from the app store when alone. */
    dedupStore: Store
    /** The Redis connection behind `store` when REDIS_URL is set, for libraries that take one (rate limits); else null. */
    storeRedis: Redis | null
  }
}

/**
 * Two entries per push (signature, reply): 10,000 keep each push past WeChat's 15 s of retries
 * up to about 300 pushes a second, in about 10 MB. Busier accounts run several instances on Redis.
 */
const DEDUP_MAX_ENTRIES = 10_000

export interface StorePluginOptions {
  redisUrl?: string | undefined
  keyPrefix: string
  /** A store built by the caller (tests); closed by the caller. */
  store?: Store | undefined
}

const BOOT_WAIT_MS = 2000

async function waitUntilReady (ping: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs
  while (!(await ping())) {
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return true
}

export const storePlugin = fp<StorePluginOptions>(async (app, options) => {
  await registerStore(app, options)
  const localDedup = createMemoryStore({ maxEntries: DEDUP_MAX_ENTRIES })
  app.addHook('onClose', async () => localDedup.close())
  // Alone, this instance keeps its dedup apart from the app store, so a flood of pushes evicts
  // no web session; beside others, dedup is shared and falls back to local memory.
  app.decorate('dedupStore', app.storeIsLocal ? localDedup : createFallbackStore({
    primary: app.store,
    fallback: localDedup,
    onFallback: (operation, error) => {
      app.metrics.storeFallbacks.inc()
      // Only the kind of failure: a Redis error can carry its command's arguments (keys hold openids).
      app.log.warn({ operation, code: (error as { code?: unknown }).code, errorType: (error as Error).name }, 'shared store failed; dedup falls back to this instance\'s memory')
    }
  }))
}, { name: 'wemp-store', fastify: '5.x', dependencies: ['wemp-metrics'] })

async function registerStore (app: FastifyInstance, options: StorePluginOptions): Promise<void> {
  const injected = options.store as (Store & { ping?: () => Promise<boolean> }) | undefined
  if (injected !== undefined) {
    app.decorate('store', injected)
    app.decorate('storeReady', async () => injected.ping === undefined ? true : await injected.ping())
    app.decorate('storeIsLocal', false)
    app.decorate('storeRedis', null)
    return
  }
  if (options.redisUrl === undefined) {
    const memory = createMemoryStore()
    app.decorate('store', memory)
    app.decorate('storeReady', async () => true)
    app.decorate('storeIsLocal', true)
    app.decorate('storeRedis', null)
    app.addHook('onClose', async () => memory.close())
    return
  }
  // Loaded only with REDIS_URL: ioredis is about 7 MB of a single instance's resident memory.
  const { createRedisStore } = await import('../src/store/redis-store.js')
  const redis = createRedisStore({ url: options.redisUrl, keyPrefix: options.keyPrefix, logger: app.log })
  // Commands fail fast until the first connect completes: give it a moment, but never refuse to
  // start over it (a down Redis is a 503 on /readyz and a local fallback, not a crash loop).
  if (!(await waitUntilReady(redis.ping, BOOT_WAIT_MS))) app.log.warn('Redis is not reachable yet; starting anyway (/readyz says 503 until it is)')
  app.decorate('store', redis)
  app.decorate('storeReady', () => redis.ping())
  app.decorate('storeIsLocal', false)
  app.decorate('storeRedis', redis.client)
  app.addHook('onClose', async () => redis.close())
}
