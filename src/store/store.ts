/**
 * The shared state the service needs: dedup claims, cached replies, tokens, OAuth state and
 * sessions. In memory for one instance; Redis when several instances run behind one nginx.
 * Values are strings (callers JSON-encode); every key written carries a TTL.
 */
export interface Store {
  get(key: string): Promise<string | null>
  set(key: string, value: string, ttlMs: number): Promise<void>
  /** Atomic: true when this call wrote the key (SET NX PX). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>
  /**
   * Atomic, in one round trip: unless `guard.key` holds another value than `guard.value`, writes
   * the guard if absent, then `key` if absent (SET NX PX both). The replay guard and the
   * exactly-once claim of a push together (src/inbound/exactly-once.ts).
   */
  guardedSetIfAbsent(guard: Guard, key: string, value: string, ttlMs: number): Promise<GuardedSet>
  /** Atomic read-and-remove (GETDEL): a value can be taken once. */
  getAndDelete(key: string): Promise<string | null>
  delete(key: string): Promise<void>
  /** Atomic compare-and-delete: releases a lock only while it is still ours. */
  deleteIfEquals(key: string, value: string): Promise<boolean>
  /** Atomic compare-and-expire: extends a lease to `ttlMs` from now only while it is still ours; never creates the key. */
  renewIfEquals(key: string, value: string, ttlMs: number): Promise<boolean>
  close(): Promise<void>
}

/** A key that keeps the first value written to it: a second, different value is refused. */
export interface Guard {
  key: string
  value: string
  ttlMs: number
}

export type GuardedSet =
  /** The guard holds another value: nothing was written. */
  | { outcome: 'guard-differs' }
  | { outcome: 'set' }
  /** The key was there already: its value. */
  | { outcome: 'present', value: string }
