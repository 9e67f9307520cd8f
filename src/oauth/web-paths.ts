/**
 * Where one account's web pages live: at the root for the account `default`, under
 * `/accounts/<id>` for every account. Built once per account and passed to every page and link.
 */
export interface WebPaths {
  /** '' or `/accounts/<id>`. */
  base: string
  profile: string
  login: string
  callback: string
  logout: string
  signedOut: string
}

export const ACCOUNT_WEB_PREFIX = '/accounts/:account'

export function webPaths (base: string): WebPaths {
  return {
    base,
    profile: `${base}/profile`,
    login: `${base}/oauth/login`,
    callback: `${base}/oauth/callback`,
    logout: `${base}/oauth/logout`,
    signedOut: `${base}/oauth/signed-out`
  }
}

export function accountWebBase (accountId: string): string {
  return `/accounts/${accountId}`
}
