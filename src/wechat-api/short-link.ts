import { Type } from '@sinclair/typebox'
import { answerReader, refuse } from './answer-schema.js'
import type { CallWithToken } from './token-call.js'

export const SHORT_KEY_PATHS = {
  generate: '/cgi-bin/shorten/gen',
  fetch: '/cgi-bin/shorten/fetch'
} as const

/** Up to 4 KB of data, kept up to 30 days. */
export const SHORT_KEY_LIMITS = { longDataBytes: 4096, maxExpireSeconds: 2_592_000 } as const

const readKey = answerReader(Type.Object({ short_key: Type.String({ minLength: 1 }) }))
const readData = answerReader(Type.Object({ long_data: Type.String(), create_time: Type.Integer(), expire_seconds: Type.Integer() }))

export interface ShortKeyData {
  longData: string
  /** Seconds since the epoch. */
  createTime: number
  /** Seconds left before the key expires. */
  expireSeconds: number
}

export interface ShortKeyApi {
  /** 短key托管: a 15-character key for `longData`, valid `expireSeconds` (default and most: 30 days). */
  generate(longData: string, expireSeconds?: number): Promise<string>
  fetch(shortKey: string): Promise<ShortKeyData>
}

export function createShortKeyApi (callWithToken: CallWithToken): ShortKeyApi {
  return {
    async generate (longData, expireSeconds = SHORT_KEY_LIMITS.maxExpireSeconds) {
      const path = SHORT_KEY_PATHS.generate
      const bytes = Buffer.byteLength(longData, 'utf8')
      if (bytes < 1 || bytes > SHORT_KEY_LIMITS.longDataBytes) refuse(path, `long data has 1 to ${SHORT_KEY_LIMITS.longDataBytes} bytes`)
      if (!Number.isInteger(expireSeconds) || expireSeconds < 1 || expireSeconds > SHORT_KEY_LIMITS.maxExpireSeconds) {
        refuse(path, `expireSeconds is an integer from 1 to ${SHORT_KEY_LIMITS.maxExpireSeconds} (30 days)`)
      }
      const json = await callWithToken(path, { method: 'POST', body: { long_data: longData, expire_seconds: expireSeconds } })
      return readKey(json, path).short_key
    },
    async fetch (shortKey) {
      const json = readData(await callWithToken(SHORT_KEY_PATHS.fetch, { method: 'POST', body: { short_key: shortKey } }), SHORT_KEY_PATHS.fetch)
      return { longData: json.long_data, createTime: json.create_time, expireSeconds: json.expire_seconds }
    }
  }
}
