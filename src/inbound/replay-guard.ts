import { hash } from 'node:crypto'
import type { Guard } from '../store/store.js'
import type { XmlFields } from '../protocol/xml-codec.js'

/**
 * In plain mode the signature does not cover the body, so a captured signed URL could carry any
 * body within the timestamp window. The first body seen with a signature is remembered; the same
 * signature with another body is a swap (docs/security.md B 14), the same body is WeChat's retry.
 * The guard is checked with the push's claim, in the same round trip (exactly-once.ts).
 */
export function bodyGuard (signature: string, fields: XmlFields, windowMs: number): Guard {
  return { key: `sig:${signature}`, value: hash('sha256', JSON.stringify(fields), 'base64'), ttlMs: windowMs }
}
