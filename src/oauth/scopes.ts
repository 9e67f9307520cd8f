/** snsapi_userinfo shows WeChat's consent page and yields nickname and avatar; snsapi_base is silent, openid only. */
export const OAUTH_SCOPES = ['snsapi_userinfo', 'snsapi_base'] as const

export type OAuthScope = typeof OAUTH_SCOPES[number]

export const DEFAULT_SCOPE: OAuthScope = 'snsapi_userinfo'

/** WeChat's token response says which scope was granted; only a userinfo grant may call /sns/userinfo. */
export function grantsUserInfo (grantedScope: string): boolean {
  return grantedScope.split(',').includes('snsapi_userinfo')
}
