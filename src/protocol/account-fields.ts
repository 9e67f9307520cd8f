import { Type, type Static } from '@sinclair/typebox'

/** The formats WeChat's console gives an account's fields (docs/protocol.md §1-2): checked wherever they are configured. */
export const WeChatTokenSchema = Type.String({ minLength: 3, maxLength: 32, pattern: '^[A-Za-z0-9]+$' })
export const AesKeySchema = Type.String({ pattern: '^[A-Za-z0-9]{43}$' })
export const WelcomeTextSchema = Type.String({ minLength: 1, maxLength: 600 })
export const OriginalIdSchema = Type.String({ pattern: '^gh_[A-Za-z0-9]+$' })

/**
 * What happens to an answer that misses WeChat's 5 s (src/inbound/answer-in-time.ts):
 * `customer-service` sends it through message/custom/send; `retry-window` keeps WeChat's retries
 * open and answers on the delivery that finds it ready (about 15 s), or with the fan's next
 * message; `auto` is customer-service until the account gets a 48001, then retry-window.
 */
export const LateReplyModeSchema = Type.Union([Type.Literal('auto'), Type.Literal('customer-service'), Type.Literal('retry-window')])
export type LateReplyMode = Static<typeof LateReplyModeSchema>
export const DEFAULT_LATE_REPLY_MODE: LateReplyMode = 'auto'
