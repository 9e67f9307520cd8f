import fp from 'fastify-plugin'
import { createMemoryStore } from '../src/store/memory-store.js'
import { createRedisStore } from '../src/store/redis-store.js'
import type { Store } from '../src/store/store.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Shared state: Redis when configured (several instances), else this process's memory. */
    store: Store
    /** Readiness of the shared store: true when it answers now. */
    storeReady(): Promise<boolean>
  }
}

export interface StorePluginOptions {
  redisUrl?: string | undefined
  keyPrefix: string
  /** A store built by the caller (tests); closed by the caller. */
  store?: Store | undefined
}

export const storePlugin = fp<StorePluginOptions>(async (app, options) => {
  if (options.store !== undefined) {
    app.decorate('store', options.store)
    app.decorate('storeReady', async () => true)
    return
  }
  if (options.redisUrl === undefined) {
    const memory = createMemoryStore()
    app.decorate('store', memory)
    app.decorate('storeReady', async () => true)
    app.addHook('onClose', async () => memory.close())
    return
  }
  const redis = createRedisStore({ url: options.redisUrl, keyPrefix: options.keyPrefix, logger: app.log })
  app.decorate('store', redis)
  app.decorate('storeReady', () => redis.ping())
  app.addHook('onClose', async () => redis.close())
}, { name: 'wemp-store', fastify: '5.x' })
