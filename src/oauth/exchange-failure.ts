import { WeChatApiError } from '../wechat-api/wechat-api-error.js'

/**
 * What a failed code exchange means for the fan:
 * - `code-used` (40163): the code was already exchanged — a re-sent redirect, or a replay.
 * - `code-invalid` (40029 invalid, 42003 expired, 41008 missing): worth one fresh authorization.
 * - `upstream`: WeChat (or the way to it) failed — errcode, timeout, HTML, cut-off body.
 */
export type ExchangeFailure = 'code-used' | 'code-invalid' | 'upstream'

const RETRYABLE_CODE_ERRORS = new Set([40029, 42003, 41008])

export function classifyExchangeError (error: unknown): ExchangeFailure {
  if (!(error instanceof WeChatApiError) || error.errcode === undefined) return 'upstream'
  if (error.errcode === 40163) return 'code-used'
  return RETRYABLE_CODE_ERRORS.has(error.errcode) ? 'code-invalid' : 'upstream'
}

/** Log fields for a failed WeChat call: errcode or kind only, never the message's query or tokens. */
export function failureLogFields (error: unknown): { kind: string, errcode?: number } {
  if (!(error instanceof WeChatApiError)) return { kind: 'unexpected' }
  return error.errcode === undefined ? { kind: error.kind } : { kind: error.kind, errcode: error.errcode }
}
