/** WeChat's own image hosts: the only places an avatar is loaded from (and what the CSP allows). */
export const AVATAR_HOSTS = ['thirdwx.qlogo.cn', 'wx.qlogo.cn', 'mmbiz.qpic.cn'] as const

/**
 * The avatar URL to put in an <img src>, or undefined for the placeholder. Only https on an
 * allow-listed host (docs/security.md H 81); an http URL on one of WeChat's hosts (older accounts still
 * get them) is upgraded to https, which those hosts serve. No credentials, no custom port.
 */
export function safeAvatarUrl (raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length > 1024) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  if (url.username !== '' || url.password !== '' || url.port !== '') return undefined
  if (!(AVATAR_HOSTS as readonly string[]).includes(url.hostname)) return undefined
  url.protocol = 'https:'
  return url.href
}
