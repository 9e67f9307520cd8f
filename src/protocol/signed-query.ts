import { isSignatureFormat, signatureMatches, wechatSignature } from './signature.js'

/** The parameters WeChat signs on every GET and POST to the server URL. */
export interface SignedQuery {
  signature: string
  timestamp: string
  nonce: string
}

export type SignedQueryCheck =
  | { ok: true, query: SignedQuery }
  /** 400: a parameter is missing or malformed; 403: well-formed but wrong or stale. */
  | { ok: false, status: 400 | 403, reason: string }

export interface SignedQueryPolicy {
  token: string
  /** 0 disables the freshness window. */
  maxAgeSeconds: number
  nowSeconds: number
}

const TIMESTAMP = /^[0-9]{1,12}$/
/** WeChat's nonces are short alphanumerics; anything else is refused before it can be echoed. */
export const NONCE = /^[A-Za-z0-9]{1,32}$/

/** Checks `signature = sha1(sort(token, timestamp, nonce))` in constant time; never throws. */
export function checkSignedQuery (query: unknown, policy: SignedQueryPolicy): SignedQueryCheck {
  const params = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>
  const { signature, timestamp, nonce } = params
  if (typeof signature !== 'string' || !isSignatureFormat(signature)) return refuse(400, 'signature missing or malformed')
  if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp)) return refuse(400, 'timestamp missing or malformed')
  if (typeof nonce !== 'string' || !NONCE.test(nonce)) return refuse(400, 'nonce missing or malformed')
  if (policy.maxAgeSeconds > 0 && Math.abs(policy.nowSeconds - Number(timestamp)) > policy.maxAgeSeconds) {
    return refuse(403, 'timestamp outside the allowed window')
  }
  if (!signatureMatches(wechatSignature([policy.token, timestamp, nonce]), signature)) {
    return refuse(403, 'signature mismatch')
  }
  return { ok: true, query: { signature, timestamp, nonce } }
}

function refuse (status: 400 | 403, reason: string): SignedQueryCheck {
  return { ok: false, status, reason }
}
