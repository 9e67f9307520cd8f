import { createHash } from 'node:crypto'

/**
 * Signs like the WeChat platform does, written independently of src/protocol so that the route
 * tests do not check the code with itself.
 */
export function platformSignature (token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex')
}

export interface SignedUrlOptions {
  token: string
  timestamp?: string
  nonce?: string
  extra?: Record<string, string>
  /** The account's server URL path; `/wechat` (the account `default`) unless given. */
  path?: string
}

let nonceCounter = 0

/** `/wechat?signature=…&timestamp=…&nonce=…` plus any extra parameters. */
export function signedUrl ({ token, timestamp, nonce, extra = {}, path = '/wechat' }: SignedUrlOptions): string {
  const ts = timestamp ?? String(Math.floor(Date.now() / 1000))
  const n = nonce ?? `n${process.pid}x${++nonceCounter}`
  const params = new URLSearchParams({ signature: platformSignature(token, ts, n), timestamp: ts, nonce: n, ...extra })
  return `${path}?${params.toString()}`
}
