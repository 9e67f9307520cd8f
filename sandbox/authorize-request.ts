import { OAUTH_SCOPES } from '../src/oauth/scopes.js'
import type { OAuthScope } from './platform/oauth-registry.js'

/** A web-authorization request that passed every check of the authorize page. */
export interface AuthorizeRequest {
  appid: string
  redirectUri: URL
  scope: OAuthScope
  state: string
}

/** What the WeChat error page shows: its code (when WeChat has one) and why. */
export interface AuthorizeError {
  code?: number
  message: string
}

export interface AuthorizeRules {
  /** Every account the sandbox plays, by AppID, with its name for the consent page. */
  accounts: ReadonlyMap<string, string>
  /** The account's 网页授权域名; any host when absent (a local sandbox serves many dev hosts). */
  redirectDomains?: readonly string[]
}

type Params = Record<string, unknown>

const SCOPES = new Set<string>(OAUTH_SCOPES)

/**
 * Checks the authorize URL's parameters in the order WeChat reports them (docs/protocol.md §6):
 * 10012 appid empty, 10003 for an appid or redirect_uri this account does not own,
 * 10011 redirect_uri empty, 10010 scope empty, 10005 unknown scope, 10013 state empty.
 */
export function checkAuthorizeRequest (params: Params, rules: AuthorizeRules): { ok: true, request: AuthorizeRequest } | { ok: false, error: AuthorizeError } {
  const value = (name: string) => typeof params[name] === 'string' ? params[name] : ''
  const appid = value('appid')
  if (appid === '') return refuse(10012, 'appid 不能为空')
  // An appid unknown to the platform has no authorization domain at all.
  if (!rules.accounts.has(appid)) return refuse(10003, `redirect_uri 域名与后台配置不一致（appid ${appid} 不是本沙箱的公众号 ${[...rules.accounts.keys()].join('、')}）`)
  const rawRedirect = value('redirect_uri')
  if (rawRedirect === '') return refuse(10011, 'redirect_uri 不能为空')
  const redirectUri = URL.canParse(rawRedirect) ? new URL(rawRedirect) : undefined
  if (redirectUri === undefined || !/^https?:$/.test(redirectUri.protocol)) return refuse(10003, `redirect_uri 不是 http(s) 地址：${rawRedirect}`)
  if (rules.redirectDomains !== undefined && !rules.redirectDomains.includes(redirectUri.hostname)) {
    return refuse(10003, `redirect_uri 域名 ${redirectUri.hostname} 与后台配置的网页授权域名（${rules.redirectDomains.join('、')}）不一致`)
  }
  if (value('response_type') !== 'code') return { ok: false, error: { message: 'response_type 必须是 code' } }
  const scope = value('scope')
  if (scope === '') return refuse(10010, 'scope 不能为空')
  if (!SCOPES.has(scope)) return refuse(10005, `此公众号没有 scope ${scope} 的权限（只有 snsapi_base、snsapi_userinfo）`)
  const state = value('state')
  if (state === '') return refuse(10013, 'state 不能为空，请用 state 防止 CSRF')
  return { ok: true, request: { appid, redirectUri, scope: scope as OAuthScope, state } }
}

/** The redirect after the fan decides: `code` and `state`, or only `state` when refused. */
export function redirectTarget (request: AuthorizeRequest, code: string | undefined): string {
  const target = new URL(request.redirectUri)
  if (code !== undefined) target.searchParams.set('code', code)
  target.searchParams.set('state', request.state)
  return target.toString()
}

function refuse (code: number, message: string): { ok: false, error: AuthorizeError } {
  return { ok: false, error: { code, message } }
}
