import type { OAuthScope } from '../../src/oauth/scopes.js'
import type { Clock } from './platform-clock.js'
import { randomId } from './random-id.js'
import { ERR } from './wechat-errors.js'
import type { WeChatErrorBody } from './wechat-errors.js'

export type { OAuthScope }

export interface CodeGrant {
  openid: string
  scope: OAuthScope
  /** Snapshot-page (快照页) authorization: the token response says is_snapshotuser 1. */
  isSnapshotUser?: boolean
}

export interface WebToken {
  accessToken: string
  refreshToken: string
  expiresIn: number
  openid: string
  scope: OAuthScope
  isSnapshotUser: boolean
}

const CODE_LIFETIME_MS = 5 * 60_000
const WEB_TOKEN_LIFETIME_MS = 7200_000
const REFRESH_TOKEN_LIFETIME_MS = 30 * 24 * 3600_000

type Outcome<T> = { ok: true, value: T } | { ok: false, error: WeChatErrorBody }

export interface OAuthRegistry {
  issueCode(grant: CodeGrant): string
  /** Single use: a second exchange of the same code gets 40163. */
  exchange(code: string): Outcome<WebToken>
  refresh(refreshToken: string): Outcome<WebToken>
  /** The grant behind a web access_token, or the error userinfo/auth would return. */
  check(accessToken: string | undefined): Outcome<CodeGrant>
  expire(accessToken: string): boolean
}

export function createOAuthRegistry (now: Clock): OAuthRegistry {
  const codes = new Map<string, CodeGrant & { expiresAt: number, used: boolean }>()
  const accessTokens = new Map<string, CodeGrant & { expiresAt: number }>()
  const refreshTokens = new Map<string, CodeGrant & { expiresAt: number }>()

  function issueTokens (grant: CodeGrant, refreshToken = randomId(64)): WebToken {
    const accessToken = randomId(64)
    const isSnapshotUser = grant.isSnapshotUser === true
    accessTokens.set(accessToken, { ...grant, expiresAt: now() + WEB_TOKEN_LIFETIME_MS })
    if (!refreshTokens.has(refreshToken)) refreshTokens.set(refreshToken, { ...grant, expiresAt: now() + REFRESH_TOKEN_LIFETIME_MS })
    return { accessToken, refreshToken, expiresIn: WEB_TOKEN_LIFETIME_MS / 1000, openid: grant.openid, scope: grant.scope, isSnapshotUser }
  }

  return {
    issueCode (grant) {
      const code = randomId(24)
      codes.set(code, { ...grant, expiresAt: now() + CODE_LIFETIME_MS, used: false })
      return code
    },
    exchange (code) {
      const record = codes.get(code)
      if (record === undefined) return { ok: false, error: ERR.invalidCode }
      if (record.used) return { ok: false, error: ERR.codeUsed }
      if (record.expiresAt <= now()) return { ok: false, error: ERR.codeExpired }
      record.used = true
      return { ok: true, value: issueTokens(record) }
    },
    refresh (refreshToken) {
      const record = refreshTokens.get(refreshToken)
      if (record === undefined) return { ok: false, error: ERR.invalidRefreshToken }
      if (record.expiresAt <= now()) return { ok: false, error: ERR.refreshTokenExpired }
      return { ok: true, value: issueTokens(record, refreshToken) }
    },
    check (accessToken) {
      if (accessToken === undefined || accessToken === '') return { ok: false, error: ERR.missingAccessToken }
      const record = accessTokens.get(accessToken)
      if (record === undefined) return { ok: false, error: ERR.invalidCredential }
      if (record.expiresAt <= now()) return { ok: false, error: ERR.tokenExpired }
      return { ok: true, value: record }
    },
    expire (accessToken) {
      const record = accessTokens.get(accessToken)
      if (record !== undefined) record.expiresAt = now()
      return record !== undefined
    }
  }
}
