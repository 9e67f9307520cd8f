import { hash } from 'node:crypto'
import type { Store } from '../store/store.js'
import type { XmlFields } from '../protocol/xml-codec.js'

/**
 * In plain mode the signature does not cover the body, so a captured signed URL could carry any
 * body within the timestamp window. The first body seen with a signature is remembered; the same
 * signature with another body is a swap (docs/security.md B 14), the same body is WeChat's retry.
 */
export async function isBodySwap (store: Store, signature: string, fields: XmlFields, windowMs: number): Promise<boolean> {
  const digest = hash('sha256', JSON.stringify(fields), 'base64')
  const key = `sig:${signature}`
  if (await store.setIfAbsent(key, digest, windowMs)) return false
  const seen = await store.get(key)
  return seen !== null && seen !== digest
}
