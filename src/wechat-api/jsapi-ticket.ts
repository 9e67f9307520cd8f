import type { Store } from '../store/store.js'
import { createCachedCredential } from './cached-credential.js'
import type { CachedCredential } from './cached-credential.js'
import { readCredential } from './credential-response.js'
import type { WeChatRequest, WeChatJson } from './http-call.js'

export interface JsapiTicketOptions {
  appId: string
  store: Store
  /** Calls with the access_token and its one-refresh retry, as `WeChatApi.callWithToken`. */
  callWithToken: (path: string, request: Omit<WeChatRequest, 'path'>) => Promise<WeChatJson>
}

export const JSAPI_TICKET_PATH = '/cgi-bin/ticket/getticket'

/** The JS-SDK jsapi_ticket: low daily quota, so cached cluster-wide like the access_token. */
export function createJsapiTicketSource (options: JsapiTicketOptions): CachedCredential {
  return createCachedCredential({
    store: options.store,
    key: `wechat:${options.appId}:jsapi-ticket`,
    path: JSAPI_TICKET_PATH,
    fetch: async () => {
      const json = await options.callWithToken(JSAPI_TICKET_PATH, { method: 'GET', query: { type: 'jsapi' } })
      return readCredential(json, 'ticket', JSAPI_TICKET_PATH)
    }
  })
}
