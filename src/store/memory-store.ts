import type { Store } from './store.js'

interface Entry {
  value: string
  expiresAt: number
}

export interface MemoryStoreOptions {
  /** Oldest entries are evicted past this count (default 50,000: a few tens of MB), so a flood of unique keys cannot grow memory. */
  maxEntries?: number
  now?: () => number
}

/** The single-instance store: a bounded Map with TTLs, insertion order as eviction order. */
export function createMemoryStore (options: MemoryStoreOptions = {}): Store {
  const maxEntries = options.maxEntries ?? 50_000
  const now = options.now ?? Date.now
  const entries = new Map<string, Entry>()

  function live (key: string): Entry | undefined {
    const entry = entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= now()) {
      entries.delete(key)
      return undefined
    }
    return entry
  }

  function write (key: string, value: string, ttlMs: number): void {
    entries.delete(key)
    entries.set(key, { value, expiresAt: now() + ttlMs })
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value as string
      entries.delete(oldest)
    }
  }

  return {
    async get (key) {
      return live(key)?.value ?? null
    },
    async set (key, value, ttlMs) {
      write(key, value, ttlMs)
    },
    async setIfAbsent (key, value, ttlMs) {
      if (live(key) !== undefined) return false
      write(key, value, ttlMs)
      return true
    },
    async getAndDelete (key) {
      const entry = live(key)
      entries.delete(key)
      return entry?.value ?? null
    },
    async delete (key) {
      entries.delete(key)
    },
    async deleteIfEquals (key, value) {
      if (live(key)?.value !== value) return false
      entries.delete(key)
      return true
    },
    async close () {
      entries.clear()
    }
  }
}
