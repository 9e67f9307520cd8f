import type { Store } from './store.js'

/**
 * One account's view of a shared store: every key it reads or writes starts with `prefix` (the
 * account's AppID), so two accounts on one Redis never see each other's tokens, claims or fans.
 * Closing the view leaves the shared store open: its owner closes it.
 */
export function prefixedStore (store: Store, prefix: string): Store {
  return {
    // The shared store's own promises, passed on: no extra tick per call on the push path.
    get: (key) => store.get(prefix + key),
    set: (key, value, ttlMs) => store.set(prefix + key, value, ttlMs),
    setIfAbsent: (key, value, ttlMs) => store.setIfAbsent(prefix + key, value, ttlMs),
    guardedSetIfAbsent: (guard, key, value, ttlMs) => store.guardedSetIfAbsent({ ...guard, key: prefix + guard.key }, prefix + key, value, ttlMs),
    getAndDelete: (key) => store.getAndDelete(prefix + key),
    delete: (key) => store.delete(prefix + key),
    deleteIfEquals: (key, value) => store.deleteIfEquals(prefix + key, value),
    renewIfEquals: (key, value, ttlMs) => store.renewIfEquals(prefix + key, value, ttlMs),
    close: async () => {}
  }
}
