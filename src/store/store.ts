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
  /** Atomic read-and-remove (GETDEL): a value can be taken once. */
  getAndDelete(key: string): Promise<string | null>
  delete(key: string): Promise<void>
  /** Atomic compare-and-delete: releases a lock only while it is still ours. */
  deleteIfEquals(key: string, value: string): Promise<boolean>
  /** Atomic compare-and-expire: extends a lease to `ttlMs` from now only while it is still ours; never creates the key. */
  renewIfEquals(key: string, value: string, ttlMs: number): Promise<boolean>
  close(): Promise<void>
}
