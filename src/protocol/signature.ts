import { hash, timingSafeEqual } from 'node:crypto'

const SIGNATURE_FORMAT = /^[0-9a-f]{40}$/

/**
 * WeChat's signature: the values sorted as plain strings (code-unit order), joined with no
 * separator, SHA-1, lowercase hex. Three values (token, timestamp, nonce) sign the query;
 * four (adding the Encrypt text) make safe mode's msg_signature.
 */
export function wechatSignature (values: readonly string[]): string {
  const joined = [...values].sort().join('')
  return hash('sha1', joined, 'hex')
}

/** True when `given` is well-formed lowercase hex and equals `expected`, in constant time. */
export function signatureMatches (expected: string, given: string): boolean {
  if (!SIGNATURE_FORMAT.test(given) || !SIGNATURE_FORMAT.test(expected)) return false
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'))
}

export function isSignatureFormat (value: string): boolean {
  return SIGNATURE_FORMAT.test(value)
}
