import { DEFAULT_ACCOUNT } from '../accounts/account-settings.js'

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
  /** Where the profile page's script posts the fan's location. */
  profileLocation: string
  /** The JS-SDK's wx.config values for a page. */
  jssdkConfig: string
}

export const ACCOUNT_WEB_PREFIX = '/accounts/:account'

export function webPaths (base: string): WebPaths {
  return {
    base,
    profile: `${base}/profile`,
    login: `${base}/oauth/login`,
    callback: `${base}/oauth/callback`,
    logout: `${base}/oauth/logout`,
    signedOut: `${base}/oauth/signed-out`,
    profileLocation: `${base}/profile/location`,
    jssdkConfig: `${base}/jssdk/config`
  }
}

export function accountWebBase (accountId: string): string {
  return `/accounts/${accountId}`
}

/** The account's profile page on PUBLIC_URL: what to open in a browser to sign in. */
export function profilePageUrl (publicUrl: string, accountId: string): string {
  return `${publicUrl}${webPaths(accountId === DEFAULT_ACCOUNT ? '' : accountWebBase(accountId)).profile}`
}
