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
  /** Sent as multipart/form-data instead of a JSON body (media uploads). */
  form?: FormData
  /** This call's own deadline, for calls that need longer than the default (uploads). */
  timeoutMs?: number
}

/** A file WeChat sent instead of JSON (media, QR code images). */
export interface WeChatFile {
  bytes: Buffer
  contentType: string
  /** From Content-Disposition, when WeChat names the file. */
  filename: string | undefined
}

/** A download's answer: the file, or the JSON WeChat sends for some media (e.g. a video's URL). */
export type WeChatDownload = { kind: 'file', file: WeChatFile } | { kind: 'json', json: WeChatJson }

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
  const answer = await fetchAnswer(options, request)
  return parseAnswer(answer.bytes.toString('utf8'), request.path)
}

// WeChat labels its JSON (errors included) application/json or text/plain, and no media it
// serves is text: a text answer (a gateway's HTML page too) is read as JSON, anything else is the file.
const JSON_LIKE = /^(application\/json|text\/)/i

/**
 * A call whose answer may be a file. An errcode answer still throws, as in callWeChat; a JSON
 * answer without one is returned as JSON, since some media come as JSON (a video's URL).
 */
export async function downloadWeChat (options: WeChatCallOptions, request: WeChatRequest): Promise<WeChatDownload> {
  const answer = await fetchAnswer(options, request)
  if (JSON_LIKE.test(answer.contentType)) return { kind: 'json', json: parseAnswer(answer.bytes.toString('utf8'), request.path) }
  const filename = /filename="?([^";]+)"?/i.exec(answer.disposition)?.[1]
  return { kind: 'file', file: { bytes: answer.bytes, contentType: answer.contentType, filename } }
}

function parseAnswer (text: string, path: string): WeChatJson {
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

interface RawAnswer {
  bytes: Buffer
  contentType: string
  disposition: string
}

async function fetchAnswer (options: WeChatCallOptions, request: WeChatRequest): Promise<RawAnswer> {
  const { path } = request
  const search = new URLSearchParams(request.query ?? {}).toString()
  const url = `${options.apiBase.replace(/\/+$/, '')}${path}${search === '' ? '' : `?${search}`}`
  const timeoutMs = request.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  try {
    // A FormData body gets its multipart Content-Type, boundary included, from fetch itself.
    const json = request.form === undefined && request.body !== undefined
    const response = await fetch(url, {
      method: request.method,
      headers: json ? { 'content-type': 'application/json' } : {},
      body: request.form ?? (json ? JSON.stringify(request.body) : undefined),
      signal: AbortSignal.timeout(timeoutMs)
    })
    // The body is read inside the same deadline: a server that stalls mid-body is a timeout too.
    const bytes = Buffer.from(await response.arrayBuffer())
    if (!response.ok) throw new WeChatApiError({ kind: 'http', path, status: response.status })
    return { bytes, contentType: response.headers.get('content-type') ?? '', disposition: response.headers.get('content-disposition') ?? '' }
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
