import type { LightMyRequestResponse } from 'fastify'
import type { RunningPlatformApi } from '../../sandbox/platform/platform-api.js'
import type { WebBrowser } from './web-browser.js'

export const OAUTH_BASE = 'https://open.weixin.qq.com'

export interface StartedLogin {
  response: LightMyRequestResponse
  /** WeChat's authorize URL from the Location header. */
  authorize: URL
  state: string
  scope: string
}

/** GET <base>/oauth/login?<query> and read the authorize URL WeChat would be sent to; base '' is the account `default`. */
export async function startLogin (browser: WebBrowser, query = '', base = ''): Promise<StartedLogin> {
  const response = await browser.get(`${base}/oauth/login${query === '' ? '' : `?${query}`}`)
  const location = response.headers.location
  if (response.statusCode !== 302 || typeof location !== 'string') throw new Error(`login answered ${response.statusCode}`)
  const authorize = new URL(location)
  return { response, authorize, state: authorize.searchParams.get('state') ?? '', scope: authorize.searchParams.get('scope') ?? '' }
}

export interface FanGrant {
  openid: string
  scope?: 'snsapi_base' | 'snsapi_userinfo'
  isSnapshotUser?: boolean
}

export interface CompletedLogin extends StartedLogin {
  code: string
  callback: LightMyRequestResponse
  callbackUrl: string
}

/**
 * The whole dance with the test playing WeChat: login → the fan approves on WeChat's page (a
 * code from the fake platform, for the scope the authorize URL asked unless `grant.scope` says
 * otherwise) → the browser follows WeChat's redirect to our callback.
 */
export async function signIn (browser: WebBrowser, platform: RunningPlatformApi, grant: FanGrant, query = '', base = ''): Promise<CompletedLogin> {
  const started = await startLogin(browser, query, base)
  const scope = grant.scope ?? (started.scope as 'snsapi_base' | 'snsapi_userinfo')
  const code = platform.state.issueCode({ openid: grant.openid, scope, isSnapshotUser: grant.isSnapshotUser ?? false })
  const callbackUrl = `${base}/oauth/callback?code=${code}&state=${started.state}`
  const callback = await browser.get(callbackUrl)
  return { ...started, code, callback, callbackUrl }
}
