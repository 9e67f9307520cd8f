import type { Store } from '../store/store.js'
import { createAccessTokenSource } from './access-token.js'
import type { TokenApi } from './access-token.js'
import { sendCustomText } from './custom-message.js'
import { createWeChatCaller, downloadWeChat } from './http-call.js'
import type { WeChatCaller, WeChatDownload, WeChatJson, WeChatRequest } from './http-call.js'
import { createJsapiTicketSource } from './jsapi-ticket.js'
import { createManagementApi } from './management-api.js'
import type { ManagementApi } from './management-api.js'
import { createOAuthClient } from './oauth.js'
import type { OAuthClient } from './oauth.js'
import type { CallWithToken, DownloadWithToken } from './token-call.js'
import { WeChatApiError } from './wechat-api-error.js'

/** Hooks for metrics, so this module needs no metrics library. */
export interface WeChatApiEvents {
  /** A new access_token was fetched from WeChat (wemp_access_token_fetches_total). */
  tokenFetched?(): void
  /** A call failed: the errcode, or the failure kind ('timeout', 'network', …) when none. */
  apiError?(errcode: number | string): void
}

export interface WeChatApiOptions {
  appId: string
  appSecret: string
  /** `https://api.weixin.qq.com`, or the fake platform's URL. */
  apiBase: string
  store: Store
  tokenApi?: TokenApi
  timeoutMs?: number
  events?: WeChatApiEvents
  /** Where showqrcode serves QR code images; see defaultQrImageBase when absent. */
  qrImageBase?: string
}

export const WECHAT_API_ORIGIN = 'https://api.weixin.qq.com'
export const DEFAULT_QR_IMAGE_BASE = 'https://mp.weixin.qq.com'

/**
 * WeChat serves showqrcode from mp.weixin.qq.com, beside its API; any other API base is a fake
 * platform (the sandbox, tests), which serves showqrcode on its own origin.
 */
export function defaultQrImageBase (apiBase: string): string {
  return apiBase.replace(/\/+$/, '') === WECHAT_API_ORIGIN ? DEFAULT_QR_IMAGE_BASE : apiBase
}

export interface WeChatApi {
  accessToken(): Promise<string>
  jsapiTicket(): Promise<string>
  /** Adds access_token to the query; on 40001/42001/40014 refreshes (once, cluster-wide) and retries once. */
  callWithToken: CallWithToken
  sendCustomText(openid: string, content: string): Promise<void>
  oauth: OAuthClient
  /** Menus, QR codes, messages, media, fans, tags, mass sends and short keys. */
  management: ManagementApi
}

// 40001 invalid or not latest, 42001 expired, 40014 invalid access_token.
const TOKEN_REJECTED = new Set<number | undefined>([40001, 42001, 40014])

export function createWeChatApi (options: WeChatApiOptions): WeChatApi {
  const { events } = options
  const callOptions = { apiBase: options.apiBase, timeoutMs: options.timeoutMs }
  const transport = createWeChatCaller(callOptions)
  const counted = <T>(send: (request: WeChatRequest) => Promise<T>) => async (request: WeChatRequest): Promise<T> => {
    try {
      return await send(request)
    } catch (error) {
      events?.apiError?.((error as WeChatApiError).code)
      throw error
    }
  }
  const call: WeChatCaller = counted(transport)
  const download = counted(async (request): Promise<WeChatDownload> => await downloadWeChat(callOptions, request))
  const tokens = createAccessTokenSource({
    appId: options.appId,
    appSecret: options.appSecret,
    store: options.store,
    call,
    tokenApi: options.tokenApi,
    onFetched: () => events?.tokenFetched?.()
  })

  // Business errors (any other errcode) are never retried here: only a rejected token is.
  async function withToken<T> (send: (token: string) => Promise<T>): Promise<T> {
    const token = await tokens.get()
    try {
      return await send(token)
    } catch (error) {
      if (!(error instanceof WeChatApiError) || !TOKEN_REJECTED.has(error.errcode)) throw error
      // Only drops the token if it is still the cached one: when another caller already put a
      // newer token in the store, that one is used without another fetch.
      await tokens.invalidate(token)
      return await send(await tokens.get())
    }
  }
  const tokenRequest = (path: string, request: Omit<WeChatRequest, 'path'>, token: string): WeChatRequest =>
    ({ ...request, path, query: { ...request.query, access_token: token } })
  const callWithToken: CallWithToken = async (path, request): Promise<WeChatJson> =>
    await withToken(async (token) => await call(tokenRequest(path, request, token)))
  const downloadWithToken: DownloadWithToken = async (path, request) =>
    await withToken(async (token) => await download(tokenRequest(path, request, token)))

  const tickets = createJsapiTicketSource({ appId: options.appId, store: options.store, callWithToken })

  return {
    accessToken: tokens.get,
    jsapiTicket: tickets.get,
    callWithToken,
    sendCustomText: async (openid, content) => { await sendCustomText(callWithToken, openid, content) },
    oauth: createOAuthClient({ appId: options.appId, appSecret: options.appSecret, call }),
    management: createManagementApi(callWithToken, {
      downloadWithToken,
      qrImageBase: options.qrImageBase ?? defaultQrImageBase(options.apiBase),
      timeoutMs: options.timeoutMs
    })
  }
}
