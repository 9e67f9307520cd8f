import { randomInt } from 'node:crypto'
import type { Clock } from './platform-clock.js'

export interface StoredShortKey {
  shortKey: string
  longData: string
  /** Seconds since the epoch. */
  createTime: number
  expireSeconds: number
}

export interface ShortKeyRegistry {
  readonly keys: Map<string, StoredShortKey>
  create(longData: string, expireSeconds: number): StoredShortKey
  /** A key that has not expired. */
  live(shortKey: string): StoredShortKey | undefined
}

const BASE62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

export function createShortKeyRegistry (now: Clock): ShortKeyRegistry {
  const keys = new Map<string, StoredShortKey>()
  const seconds = (): number => Math.floor(now() / 1000)
  return {
    keys,
    create (longData, expireSeconds) {
      // 15 base62 characters, as WeChat's short keys are.
      const shortKey = Array.from({ length: 15 }, () => BASE62[randomInt(62)]).join('')
      const stored = { shortKey, longData, createTime: seconds(), expireSeconds }
      keys.set(shortKey, stored)
      return stored
    },
    live (shortKey) {
      const stored = keys.get(shortKey)
      return stored !== undefined && seconds() < stored.createTime + stored.expireSeconds ? stored : undefined
    }
  }
}
