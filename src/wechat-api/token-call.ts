import type { WeChatDownload, WeChatJson, WeChatRequest } from './http-call.js'

/** A request to an API that takes the access_token: the caller adds it to the query. */
export type TokenRequest = Omit<WeChatRequest, 'path'>

/** `WeChatApi.callWithToken`: adds the access_token; refreshes once on a rejected token and retries. */
export type CallWithToken = (path: string, request: TokenRequest) => Promise<WeChatJson>

/** The same for calls whose answer may be a file (media downloads). */
export type DownloadWithToken = (path: string, request: TokenRequest) => Promise<WeChatDownload>
