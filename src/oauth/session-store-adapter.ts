import type { Store } from '../store/store.js'
import { storeCall } from '../store/store-call.js'

/** Sessions live 7 days in the shared store unless their cookie says otherwise. */
export const SESSION_TTL_MS = 7 * 24 * 3600_000

type Done = (error?: unknown) => void

/** What a session looks like to its store: JSON-serializable, with the cookie's expiry. */
interface StoredSession {
  cookie?: { expires?: Date | string | null }
}

/** @fastify/session's callback-style store interface, written out so src/ stays framework-free. */
export interface CallbackSessionStore<S> {
  get(sessionId: string, callback: (error: unknown, session?: S | null) => void): void
  set(sessionId: string, session: S, callback: Done): void
  destroy(sessionId: string, callback: Done): void
}

/**
 * Our Store (memory, or Redis shared by every instance) behind @fastify/session's interface.
 * Keys are `sess:<id>`; each entry expires with its cookie, so an abandoned session leaves nothing.
 * A store failure is passed on as a StoreUnavailableError (503, no command arguments) rather
 * than read as "no session", which would silently sign fans out during a Redis blip.
 */
export function sessionStoreAdapter<S extends StoredSession> (store: Store, now: () => number = Date.now): CallbackSessionStore<S> {
  const key = (sessionId: string): string => `sess:${sessionId}`
  return {
    get (sessionId, callback) {
      storeCall('session get', async () => await store.get(key(sessionId))).then((raw) => { callback(null, parsed<S>(raw)) }, callback)
    },
    set (sessionId, session, callback) {
      const ttlMs = ttlOf(session, now())
      storeCall('session set', async () => { await store.set(key(sessionId), JSON.stringify(session), ttlMs) }).then(() => { callback() }, callback)
    },
    destroy (sessionId, callback) {
      storeCall('session destroy', async () => { await store.delete(key(sessionId)) }).then(() => { callback() }, callback)
    }
  }
}

function parsed<S> (raw: string | null): S | null {
  if (raw === null) return null
  try {
    const value: unknown = JSON.parse(raw)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as S : null
  } catch {
    return null
  }
}

function ttlOf (session: StoredSession, nowMs: number): number {
  const expires = session.cookie?.expires
  if (expires === undefined || expires === null) return SESSION_TTL_MS
  const at = new Date(expires).getTime()
  // An expired or unreadable expiry still gets a short life, never an immortal key.
  return Number.isNaN(at) ? SESSION_TTL_MS : Math.max(1000, at - nowMs)
}
