import { randomBytes } from 'node:crypto'
import { AVATAR_HOSTS } from '../oauth/avatar-url.js'

/** A fresh nonce per page for its one inline <style>; there is no script to allow at all. */
export function newStyleNonce (): string {
  return randomBytes(16).toString('base64')
}

/**
 * Headers for every response of the web pages, redirects included: no Referer (the callback URL
 * carries code and state, docs/security.md H 84), no sniffing, no caching of per-fan pages, no framing.
 */
export const WEB_BASELINE_HEADERS = {
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store'
} as const

/** The CSP of an HTML page: images from WeChat's hosts only, the nonce'd style, nothing else. */
export function contentSecurityPolicy (nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${AVATAR_HOSTS.map((host) => `https://${host}`).join(' ')}`,
    `style-src 'nonce-${nonce}'`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}
