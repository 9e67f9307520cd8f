import type { Store } from './store.js'

export interface FallbackStoreOptions {
  primary: Store
  fallback: Store
  /** Called once per failed primary operation (a log line and a metric). */
  onFallback(operation: string, error: unknown): void
}

/**
 * A store that keeps answering while the shared one fails: each operation falls back to local
 * memory. Used for dedup only, where fail-open (a duplicate at worst) beats not answering.
 */
export function createFallbackStore ({ primary, fallback, onFallback }: FallbackStoreOptions): Store {
  async function run<T> (operation: keyof Store, call: (store: Store) => Promise<T>): Promise<T> {
    try {
      return await call(primary)
    } catch (error) {
      onFallback(operation, error)
      return await call(fallback)
    }
  }
  return {
    get: (key) => run('get', (s) => s.get(key)),
    set: (key, value, ttlMs) => run('set', (s) => s.set(key, value, ttlMs)),
    setIfAbsent: (key, value, ttlMs) => run('setIfAbsent', (s) => s.setIfAbsent(key, value, ttlMs)),
    guardedSetIfAbsent: (guard, key, value, ttlMs) => run('guardedSetIfAbsent', (s) => s.guardedSetIfAbsent(guard, key, value, ttlMs)),
    getAndDelete: (key) => run('getAndDelete', (s) => s.getAndDelete(key)),
    delete: (key) => run('delete', (s) => s.delete(key)),
    deleteIfEquals: (key, value) => run('deleteIfEquals', (s) => s.deleteIfEquals(key, value)),
    renewIfEquals: (key, value, ttlMs) => run('renewIfEquals', (s) => s.renewIfEquals(key, value, ttlMs)),
    // The primary is owned (and closed) by whoever created it.
    close: () => fallback.close()
  }
}
