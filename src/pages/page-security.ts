import { randomBytes } from 'node:crypto'
import { AVATAR_HOSTS } from '../oauth/avatar-url.js'

/** A fresh nonce per page for its inline <style> and, on a page that runs any, its <script> tags. */
export function newPageNonce (): string {
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

/** What a page that runs scripts needs beyond its nonce'd <script> tags. */
export interface PageScripts {
  /** Script origins named beside the nonce (the JS-SDK's), for WebViews that check the source list. */
  scriptOrigins: readonly string[]
  /** Origins the page's scripts call besides its own ('self' is always there). */
  connectOrigins: readonly string[]
}

/**
 * The CSP of an HTML page: images from WeChat's hosts only, the nonce'd style, and no script at
 * all unless the page says which it runs. Never 'unsafe-inline' or 'unsafe-eval': without them,
 * inline event handlers, javascript: URLs and eval stay refused on every page.
 */
export function contentSecurityPolicy (nonce: string, scripts?: PageScripts): string {
  return [
    "default-src 'none'",
    `img-src ${AVATAR_HOSTS.map((host) => `https://${host}`).join(' ')}`,
    `style-src 'nonce-${nonce}'`,
    ...(scripts === undefined
      ? []
      : [[`script-src 'nonce-${nonce}'`, ...scripts.scriptOrigins].join(' '), ["connect-src 'self'", ...scripts.connectOrigins].join(' ')]),
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}
