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
  /**
   * 1 male, 2 female, 0 not said. Since late 2021 WeChat sends 0 and empty region fields for new
   * authorizations; kept as sent, shown only when filled.
   */
  sex?: number
  country?: string
  province?: string
  city?: string
}

/** A line of the profile's details: only fields WeChat filled in. */
export interface ProfileDetail {
  label: string
  value: string
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
  /** 性别, 地区 and UnionID when WeChat gave them (never "未知" for an empty one). */
  details: ProfileDetail[]
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
    details: profileDetails(user),
    upgradeHref: user.nickname === undefined ? loginHref(paths, paths.profile, 'snsapi_userinfo') : undefined,
    csrfToken: login.csrfToken,
    logoutAction: paths.logout
  }
}

const SEX_LABELS: Readonly<Record<number, string>> = { 1: '男', 2: '女' }

function profileDetails (user: WebUser): ProfileDetail[] {
  const details: ProfileDetail[] = []
  const sex = user.sex === undefined ? undefined : SEX_LABELS[user.sex]
  if (sex !== undefined) details.push({ label: '性别', value: sex })
  // WeChat's order, widest first: 中国 广东 深圳.
  const region = [user.country, user.province, user.city].map((part) => part?.trim() ?? '').filter((part) => part !== '').join(' ')
  if (region !== '') details.push({ label: '地区', value: region })
  if (user.unionid !== undefined && user.unionid !== '') details.push({ label: 'UnionID', value: user.unionid })
  return details
}
