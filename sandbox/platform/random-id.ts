import { randomBytes } from 'node:crypto'

/** A token-alphabet string like WeChat's credentials (base64url, no padding). */
export function randomId (bytes: number): string {
  return randomBytes(bytes).toString('base64url')
}

/** The `rid` WeChat appends to every errmsg: callers must compare errcode, never errmsg. */
export function withRid (errmsg: string): string {
  return `${errmsg} rid: ${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`
}
