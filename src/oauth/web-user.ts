import { safeAvatarUrl } from './avatar-url.js'
import { loginHref } from './oauth-pages.js'
import type { OAuthScope } from './scopes.js'
import type { WebPaths } from './web-paths.js'

/**
 * The signed-in fan as the session keeps it. WeChat's web tokens are not kept: nothing here
 * calls WeChat on the fan's behalf after login, so there is nothing to steal from a session.
 */
export interface WebUser {
  openid: string
  /** The scope WeChat granted (from its token response). */
  scope: OAuthScope
  /** Present when /sns/userinfo answered; stored exactly as WeChat sent it. */
  nickname?: string
  headimgurl?: string
  unionid?: string
}

/** A completed login: who, the logout form's CSRF token, and the state/landing path it came with. */
export interface SignedIn {
  user: WebUser
  csrfToken: string
  /** A repeated callback with this state just lands on `next` again (docs/security.md H 77). */
  state: string
  next: string
}

export interface ProfileView {
  openid: string
  /** Undefined: show the generic label (snsapi_base, or userinfo unavailable, or empty). */
  nickname: string | undefined
  /** Undefined: show the placeholder. */
  avatarUrl: string | undefined
  /** A link to sign in with snsapi_userinfo, when the profile has no nickname or avatar from WeChat. */
  upgradeHref: string | undefined
  csrfToken: string
  /** Where the logout form posts. */
  logoutAction: string
}

export function profileView (login: SignedIn, paths: WebPaths): ProfileView {
  const { user } = login
  return {
    openid: user.openid,
    nickname: user.nickname === '' ? undefined : user.nickname,
    avatarUrl: safeAvatarUrl(user.headimgurl),
    upgradeHref: user.nickname === undefined ? loginHref(paths, paths.profile, 'snsapi_userinfo') : undefined,
    csrfToken: login.csrfToken,
    logoutAction: paths.logout
  }
}
