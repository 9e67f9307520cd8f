import type { OAuthScope } from './scopes.js'

export interface AuthorizeUrlInput {
  /** https://open.weixin.qq.com, or the fake platform in tests. */
  oauthBase: string
  appId: string
  /** PUBLIC_URL from config: never the request's Host or X-Forwarded-Host (docs/security.md H 80). */
  publicUrl: string
  /** The account's callback path (WebPaths.callback). */
  callbackPath: string
  scope: OAuthScope
  state: string
}

/**
 * WeChat's authorize link. WeChat matches it with a strict regular expression, so the parameters
 * stay in exactly this order and `#wechat_redirect` ends it.
 */
export function authorizeUrl (input: AuthorizeUrlInput): string {
  const redirectUri = encodeURIComponent(`${input.publicUrl}${input.callbackPath}`)
  return `${input.oauthBase}/connect/oauth2/authorize?appid=${encodeURIComponent(input.appId)}` +
    `&redirect_uri=${redirectUri}&response_type=code&scope=${input.scope}&state=${input.state}#wechat_redirect`
}
