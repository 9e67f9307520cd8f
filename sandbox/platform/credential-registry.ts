import type { Clock } from './platform-clock.js'
import { randomId } from './random-id.js'
import { ERR } from './wechat-errors.js'
import type { WeChatErrorBody } from './wechat-errors.js'

const LIFETIME_MS = 7200_000
// Both the classic hand-over and stable_token's early renewal use a five-minute overlap.
const OVERLAP_MS = 300_000

interface IssuedToken {
  appId: string
  kind: 'classic' | 'stable'
  expiresAt: number
  replaced: boolean
}

export interface Issued {
  value: string
  expiresIn: number
}

export interface CredentialRegistry {
  /** GET /cgi-bin/token: always a new token; the app's previous classic one lives five more minutes. */
  issueClassic(appId: string): Issued
  /** POST /cgi-bin/stable_token: the app's same token until five minutes before expiry, unless forced. */
  issueStable(appId: string, forceRefresh: boolean): Issued
  /** The app a token (or ticket) was issued to. */
  appOf(token: string): string | undefined
  /** undefined when the token may call APIs, else the error WeChat would answer with. */
  check(token: string | undefined): WeChatErrorBody | undefined
  /** Makes a token (access_token or ticket) expire now; false when it was never issued. */
  expire(token: string): boolean
  issueTicket(appId: string): Issued
  ticketIsValid(ticket: string): boolean
  /** Every jsapi_ticket still valid now: wx.config is checked against these. */
  validTickets(): string[]
  /** Every token this fake issued and that is still valid now. */
  validTokens(): string[]
}

export function createCredentialRegistry (now: Clock): CredentialRegistry {
  const tokens = new Map<string, IssuedToken>()
  const tickets = new Map<string, { appId: string, expiresAt: number }>()
  // Per app, as WeChat keeps them: one account's refresh never touches another's token.
  const currentClassic = new Map<string, string>()
  const currentStable = new Map<string, string>()

  function issue (appId: string, kind: IssuedToken['kind']): Issued {
    const value = randomId(96)
    tokens.set(value, { appId, kind, expiresAt: now() + LIFETIME_MS, replaced: false })
    return { value, expiresIn: LIFETIME_MS / 1000 }
  }

  function retire (token: string | undefined, keepForMs: number): void {
    const record = token === undefined ? undefined : tokens.get(token)
    if (record === undefined) return
    record.replaced = true
    record.expiresAt = Math.min(record.expiresAt, now() + keepForMs)
  }

  return {
    issueClassic (appId) {
      retire(currentClassic.get(appId), OVERLAP_MS)
      const issued = issue(appId, 'classic')
      currentClassic.set(appId, issued.value)
      return issued
    },
    issueStable (appId, forceRefresh) {
      const stable = currentStable.get(appId)
      const current = stable === undefined ? undefined : tokens.get(stable)
      const remaining = current === undefined ? 0 : current.expiresAt - now()
      if (!forceRefresh && stable !== undefined && remaining > OVERLAP_MS) {
        return { value: stable, expiresIn: Math.floor(remaining / 1000) }
      }
      // Forcing kills the previous token at once; a normal renewal lets it run out its time.
      if (forceRefresh) retire(stable, 0)
      const issued = issue(appId, 'stable')
      currentStable.set(appId, issued.value)
      return issued
    },
    appOf: (token) => tokens.get(token)?.appId ?? tickets.get(token)?.appId,
    check (token) {
      if (token === undefined || token === '') return ERR.missingAccessToken
      const record = tokens.get(token)
      if (record === undefined) return ERR.invalidCredential
      if (record.expiresAt > now()) return undefined
      return record.replaced ? ERR.invalidCredential : ERR.tokenExpired
    },
    expire (token) {
      const record = tokens.get(token)
      if (record !== undefined) record.expiresAt = now()
      const ticket = tickets.get(token)
      if (ticket !== undefined) ticket.expiresAt = now()
      return record !== undefined || tickets.has(token)
    },
    issueTicket (appId) {
      const value = randomId(64)
      tickets.set(value, { appId, expiresAt: now() + LIFETIME_MS })
      return { value, expiresIn: LIFETIME_MS / 1000 }
    },
    ticketIsValid (ticket) {
      return (tickets.get(ticket)?.expiresAt ?? 0) > now()
    },
    validTickets () {
      return [...tickets].filter(([, record]) => record.expiresAt > now()).map(([ticket]) => ticket)
    },
    validTokens () {
      return [...tokens].filter(([, record]) => record.expiresAt > now()).map(([token]) => token)
    }
  }
}
