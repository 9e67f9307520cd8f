/**
 * How a call to WeChat failed. `api`: WeChat answered with a non-zero errcode (HTTP 200, as it
 * does). `non-json`: the body was HTML or cut off. `bad-response`: valid JSON without the fields
 * the call promises. `timeout`, `network`, `http`: the transport failed before WeChat could say.
 * `invalid-request`: refused here, before sending, because WeChat would refuse it too (a limit).
 */
export type WeChatApiErrorKind = 'api' | 'non-json' | 'bad-response' | 'timeout' | 'network' | 'http' | 'invalid-request'

export interface WeChatApiErrorDetails {
  kind: WeChatApiErrorKind
  /** The API path without its query: queries carry secret=, access_token=, code=. */
  path: string
  errcode?: number
  /** Already scrubbed and truncated; WeChat's own text with its `rid:` suffix. */
  errmsg?: string
  status?: number
  detail?: string
}

/** The API's name as WeChat's documents write it: `menu/create`, `sns/userinfo`. */
export function apiNameOf (path: string): string {
  return path.replace(/^\/(cgi-bin\/)?/, '')
}

/**
 * What the account's operator should do about errcodes that no code change fixes. 45009: the
 * daily quota is per API and resets at midnight Beijing time; clear_quota resets it sooner but
 * only a few times a month. 48001: the account type or verification lacks this API.
 */
export function operatorHint (errcode: number | undefined, api: string): string | undefined {
  if (errcode === 45009) {
    return `the daily quota of ${api} is used up: wait until midnight Beijing time, or reset it in the MP console (开发 → 接口权限) or with clear_quota, which allows only a few resets a month`
  }
  if (errcode === 48001) {
    return `this account may not call ${api}: check 开发 → 接口权限 in the MP console; most management APIs need a verified (认证) service account`
  }
  return undefined
}

export class WeChatApiError extends Error {
  readonly kind: WeChatApiErrorKind
  readonly path: string
  /** The API's name, e.g. `menu/create`. */
  readonly api: string
  /** For 45009 and 48001: what to do, in words for the account's operator. */
  readonly hint: string | undefined
  readonly errcode: number | undefined
  readonly errmsg: string | undefined
  readonly status: number | undefined
  /** What went wrong in our words (a limit WeChat would refuse, the transport's failure). */
  readonly detail: string | undefined

  constructor (details: WeChatApiErrorDetails) {
    super(describe(details))
    this.name = 'WeChatApiError'
    this.kind = details.kind
    this.path = details.path
    this.api = apiNameOf(details.path)
    this.hint = details.kind === 'api' ? operatorHint(details.errcode, this.api) : undefined
    this.errcode = details.errcode
    this.errmsg = details.errmsg
    this.status = details.status
    this.detail = details.detail
  }

  /** What a metric label or a cool-down record needs: the errcode, or the kind when there is none. */
  get code (): number | string {
    return this.errcode ?? this.kind
  }

  toDetails (): WeChatApiErrorDetails {
    const details: WeChatApiErrorDetails = { kind: this.kind, path: this.path }
    if (this.errcode !== undefined) details.errcode = this.errcode
    if (this.errmsg !== undefined) details.errmsg = this.errmsg
    if (this.status !== undefined) details.status = this.status
    return details
  }
}

function describe (details: WeChatApiErrorDetails): string {
  const head = `WeChat API ${details.path} failed (${details.kind})`
  const parts = [
    details.errcode === undefined ? undefined : `errcode ${details.errcode}`,
    details.errmsg === undefined ? undefined : details.errmsg,
    details.status === undefined ? undefined : `HTTP ${details.status}`,
    details.detail,
    details.kind === 'api' ? operatorHint(details.errcode, apiNameOf(details.path)) : undefined
  ].filter((part) => part !== undefined && part !== '')
  return parts.length === 0 ? head : `${head}: ${parts.join(', ')}`
}

// Long runs of token alphabet are what access tokens, tickets, codes and secrets look like;
// IP addresses and words in errmsg stay readable.
const TOKEN_LIKE = /[A-Za-z0-9_-]{16,}/g
const MAX_TEXT = 120

/** Text from upstream made safe for logs and error messages. */
export function scrubUpstreamText (text: string): string {
  const scrubbed = text.replace(TOKEN_LIKE, '[redacted]').replace(/\s+/g, ' ').trim()
  return scrubbed.length > MAX_TEXT ? `${scrubbed.slice(0, MAX_TEXT)}…` : scrubbed
}
