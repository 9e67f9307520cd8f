import { parseJsonKeepingLongIntegers } from './long-integers.js'
import { WeChatApiError, scrubUpstreamText } from './wechat-api-error.js'

export type WeChatJson = Record<string, unknown>

export interface WeChatRequest {
  method: 'GET' | 'POST'
  /** e.g. `/cgi-bin/stable_token`; appended to the API base as is. */
  path: string
  query?: Record<string, string>
  /** Sent as JSON. */
  body?: unknown
}

export interface WeChatCallOptions {
  /** `https://api.weixin.qq.com` in production, the fake platform's URL in tests. */
  apiBase: string
  timeoutMs?: number
}

/** A call bound to its API base and deadline, as the rest of this module uses it. */
export type WeChatCaller = (request: WeChatRequest) => Promise<WeChatJson>

export const DEFAULT_TIMEOUT_MS = 3000

/**
 * One JSON call to WeChat. WeChat reports errors as HTTP 200 with an `errcode`, often labelled
 * text/plain, so the body is always read as text and parsed whatever its content type says.
 * Resolves only with a JSON object whose errcode is absent or 0; everything else throws a
 * WeChatApiError that names the path but never the query (it carries secret= and tokens).
 */
export async function callWeChat (options: WeChatCallOptions, request: WeChatRequest): Promise<WeChatJson> {
  const { path } = request
  const text = await fetchText(options, request)
  let parsed: unknown
  try {
    parsed = parseJsonKeepingLongIntegers(text)
  } catch {
    throw new WeChatApiError({ kind: 'non-json', path, detail: `body starts ${JSON.stringify(scrubUpstreamText(text.slice(0, 60)))}` })
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new WeChatApiError({ kind: 'bad-response', path, detail: 'body is not a JSON object' })
  }
  const json = parsed as WeChatJson
  const errcode = json.errcode
  if (errcode !== undefined && errcode !== 0) {
    throw new WeChatApiError({
      kind: 'api',
      path,
      errcode: typeof errcode === 'number' ? errcode : Number(errcode),
      errmsg: scrubUpstreamText(String(json.errmsg ?? ''))
    })
  }
  return json
}

/** Binds the API base and deadline once, so callers pass only the request. */
export function createWeChatCaller (options: WeChatCallOptions): WeChatCaller {
  return async (request) => await callWeChat(options, request)
}

async function fetchText (options: WeChatCallOptions, request: WeChatRequest): Promise<string> {
  const { path } = request
  const search = new URLSearchParams(request.query ?? {}).toString()
  const url = `${options.apiBase.replace(/\/+$/, '')}${path}${search === '' ? '' : `?${search}`}`
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  try {
    const response = await fetch(url, {
      method: request.method,
      headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(timeoutMs)
    })
    // The body is read inside the same deadline: a server that stalls mid-body is a timeout too.
    const text = await response.text()
    if (!response.ok) throw new WeChatApiError({ kind: 'http', path, status: response.status })
    return text
  } catch (error) {
    if (error instanceof WeChatApiError) throw error
    throw transportError(error, path, timeoutMs)
  }
}

// Node's fetch errors are kept out of the chain on purpose: only the cause's code is copied,
// so no URL with its query can reach a log through `cause`.
function transportError (error: unknown, path: string, timeoutMs: number): WeChatApiError {
  const name = (error as { name?: unknown } | null)?.name
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new WeChatApiError({ kind: 'timeout', path, detail: `no answer within ${timeoutMs} ms` })
  }
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause
  const code = typeof cause?.code === 'string' ? cause.code : 'connection failed'
  return new WeChatApiError({ kind: 'network', path, detail: code })
}
