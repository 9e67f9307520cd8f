import type { FetchedCredential } from './cached-credential.js'
import type { WeChatJson } from './http-call.js'
import { WeChatApiError } from './wechat-api-error.js'

/** Reads `{<field>: string, expires_in: number}` from a credential endpoint's answer. */
export function readCredential (json: WeChatJson, field: string, path: string): FetchedCredential {
  const value = json[field]
  const expiresIn = json.expires_in
  if (typeof value !== 'string' || value === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
    throw new WeChatApiError({ kind: 'bad-response', path, detail: `no ${field} with expires_in` })
  }
  return { value, expiresInSeconds: expiresIn }
}
