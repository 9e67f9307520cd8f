import type { Clock } from './platform-clock.js'
import { ERR } from './wechat-errors.js'
import type { WeChatErrorBody } from './wechat-errors.js'

/**
 * Per-API permissions and daily quotas, as an account's type and verification set them: a
 * denied API answers 48001, one past its quota 45009 until midnight Beijing time (UTC+8).
 */
export interface ApiLimits {
  deny(path: string): void
  allow(path: string): void
  /** Calls per day before 45009; `undefined` lifts the quota. */
  setDailyQuota(path: string, limit: number | undefined): void
  /** Counts a call made with a valid access_token; the error WeChat answers instead, if any. */
  admit(path: string): WeChatErrorBody | undefined
}

const BEIJING_OFFSET_MS = 8 * 3600_000
const DAY_MS = 24 * 3600_000

export function createApiLimits (now: Clock): ApiLimits {
  const denied = new Set<string>()
  const quotas = new Map<string, number>()
  const used = new Map<string, { day: number, count: number }>()
  return {
    deny: (path) => { denied.add(path) },
    allow: (path) => { denied.delete(path) },
    setDailyQuota (path, limit) {
      if (limit === undefined) quotas.delete(path)
      else quotas.set(path, limit)
    },
    admit (path) {
      if (denied.has(path)) return ERR.apiUnauthorized
      const limit = quotas.get(path)
      if (limit === undefined) return undefined
      const day = Math.floor((now() + BEIJING_OFFSET_MS) / DAY_MS)
      const record = used.get(path)
      const count = record?.day === day ? record.count : 0
      if (count >= limit) return ERR.dailyQuota
      used.set(path, { day, count: count + 1 })
      return undefined
    }
  }
}
