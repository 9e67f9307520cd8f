import type { SignedIn } from './web-user.js'

/** One account's part of a browser's session. */
export interface AccountWebSession {
  /** Ties states to this browser (docs/security.md H 75); kept across the id regeneration at login. */
  loginBinding?: string
  /** The signed-in fan; absent until a callback completes. */
  login?: SignedIn
  /** Set when a login was restarted after a rejected code: a second rejection shows a page instead of looping (H 78). */
  loginRestarted?: boolean
}

/** What a browser's session holds: one part per account, by AppID. */
export interface WebSessionData {
  accounts?: Record<string, AccountWebSession>
}

/** Reads this account's part; a fan signed in to one account is not signed in to another. */
export function readAccountSession (session: WebSessionData, appId: string): AccountWebSession | undefined {
  return session.accounts?.[appId]
}

/** This account's part, made when absent (so only a write makes a session worth saving). */
export function writableAccountSession (session: WebSessionData, appId: string): AccountWebSession {
  session.accounts ??= {}
  return (session.accounts[appId] ??= {})
}
