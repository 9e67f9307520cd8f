import type { Store } from '../store/store.js'
import { createCachedCredential } from './cached-credential.js'
import type { CachedCredential, FetchedCredential } from './cached-credential.js'
import { readCredential } from './credential-response.js'
import type { WeChatCaller } from './http-call.js'

/** `stable`: POST /cgi-bin/stable_token (preferred; does not invalidate other holders). */
export type TokenApi = 'stable' | 'classic'

export interface AccessTokenOptions {
  appId: string
  appSecret: string
  store: Store
  call: WeChatCaller
  tokenApi?: TokenApi
  onFetched?: () => void
}

export const STABLE_TOKEN_PATH = '/cgi-bin/stable_token'
export const CLASSIC_TOKEN_PATH = '/cgi-bin/token'

/** The account's basic access_token, cached cluster-wide under a key namespaced by appid. */
export function createAccessTokenSource (options: AccessTokenOptions): CachedCredential {
  const { appId, appSecret, call } = options
  const path = options.tokenApi === 'classic' ? CLASSIC_TOKEN_PATH : STABLE_TOKEN_PATH

  async function fetchToken (): Promise<FetchedCredential> {
    const json = path === CLASSIC_TOKEN_PATH
      ? await call({ method: 'GET', path, query: { grant_type: 'client_credential', appid: appId, secret: appSecret } })
      // Never force_refresh: it invalidates the token every other instance is using.
      : await call({ method: 'POST', path, body: { grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: false } })
    const credential = readCredential(json, 'access_token', path)
    options.onFetched?.()
    return credential
  }

  return createCachedCredential({ store: options.store, key: `wechat:${appId}:access-token`, path, fetch: fetchToken })
}
