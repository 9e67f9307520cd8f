import { Type, type Static } from '@sinclair/typebox'
import { LlmSettingsSchema } from '../llm/llm-settings.js'
import { MessageModeSchema } from '../protocol/message-mode.js'

/** A slug: the account's part of its URLs (`/wechat/<id>`) and of its log lines and metrics. */
export const ACCOUNT_ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,31}$'
/** The account that the single-account variables describe, at `/wechat`. */
export const DEFAULT_ACCOUNT = 'default'

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

/** One Official Account as wemp serves it: what WeChat's console shows under 基本配置. */
export const AccountSettingsSchema = Type.Object({
  id: Type.String({ pattern: ACCOUNT_ID_PATTERN }),
  token: WeChatTokenSchema,
  appId: Type.String({ minLength: 1, maxLength: 64 }),
  appSecret: Type.String({ minLength: 1 }),
  messageMode: MessageModeSchema,
  /** Required outside plain mode. */
  encodingAesKey: Type.Optional(AesKeySchema),
  /** The key before the last rotation: pushes sealed with it still open for a while (docs/protocol.md §2). */
  previousEncodingAesKey: Type.Optional(AesKeySchema),
  /** The original id (gh_…); when set, pushes addressed to another account are refused. */
  accountId: Type.Optional(OriginalIdSchema),
  welcomeText: WelcomeTextSchema,
  /** The language model that answers texts no rule takes; none: rules, weather and echo only. */
  llm: Type.Optional(LlmSettingsSchema),
  /** Absent: auto. */
  lateReplyMode: Type.Optional(LateReplyModeSchema)
}, { additionalProperties: false })

export type AccountSettings = Static<typeof AccountSettingsSchema>
