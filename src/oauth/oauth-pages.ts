import type { OAuthScope } from './scopes.js'
import type { WebPaths } from './web-paths.js'

/** The friendly pages of web authorization: Chinese for the fan, a short English hint for developers. */
export type OAuthPageKind = 'declined' | 'malformed' | 'forbidden' | 'code-rejected' | 'upstream' | 'snapshot' | 'form-expired' | 'signed-out' | 'too-many-requests'

export interface OAuthPage {
  status: number
  title: string
  message: string
  hint: string
  actionLabel: string
}

export const OAUTH_PAGES: Record<OAuthPageKind, OAuthPage> = {
  declined: { status: 400, title: '未完成授权', message: '你没有同意授权，因此无法登录。如需继续，请重新授权。', hint: 'Authorization was declined.', actionLabel: '重新授权' },
  malformed: { status: 400, title: '链接无效', message: '这个登录链接的参数不正确，请从公众号菜单重新进入。', hint: 'Malformed request parameters.', actionLabel: '重新登录' },
  forbidden: { status: 403, title: '登录链接已失效', message: '登录链接已过期、已被使用，或不是在当前浏览器中打开的。请重新登录。', hint: 'Unknown, expired, reused or foreign state.', actionLabel: '重新登录' },
  'code-rejected': { status: 400, title: '授权未成功', message: '微信没有接受这次的授权码，重试后仍然失败。请稍后从公众号菜单重新进入。', hint: 'WeChat rejected the authorization code twice.', actionLabel: '再试一次' },
  upstream: { status: 502, title: '微信暂时无法响应', message: '与微信通信时出现问题，请稍后再试。', hint: 'The WeChat API failed or timed out.', actionLabel: '再试一次' },
  snapshot: { status: 403, title: '请在微信中打开', message: '请在微信客户端内打开并授权，当前页面为快照页，无法获取你的真实身份。', hint: 'Snapshot-page user (is_snapshotuser=1): identity not kept.', actionLabel: '重新授权' },
  'form-expired': { status: 403, title: '页面已过期', message: '页面已过期，请刷新后再试。', hint: 'Missing or wrong form token.', actionLabel: '返回我的资料' },
  'signed-out': { status: 200, title: '已退出登录', message: '你已退出登录。', hint: 'Signed out.', actionLabel: '重新登录' },
  'too-many-requests': { status: 429, title: '操作太频繁', message: '你的操作太频繁了，请稍等片刻再试。', hint: 'Rate limited: too many requests from this address.', actionLabel: '再试一次' }
}

/** The link that starts (or restarts) the account's web authorization; by default back to its profile. */
export function loginHref (paths: WebPaths, next: string = paths.profile, scope?: OAuthScope): string {
  // `/` may stay as is in a query: /oauth/login?next=/profile reads better in logs and tests.
  const encodedNext = encodeURIComponent(next).replace(/%2F/g, '/')
  return `${paths.login}?${scope === undefined ? '' : `scope=${scope}&`}next=${encodedNext}`
}
