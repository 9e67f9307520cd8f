import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * Constant-time equality of a secret we hold with one a request presents (hashed first, so
 * lengths never differ and timingSafeEqual cannot throw). Nothing held never matches.
 */
export function sameSecret (held: string | undefined, presented: string): boolean {
  if (held === undefined) return false
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(held), digest(presented))
}
