import { Type, type Static } from '@sinclair/typebox'
import { AesKeySchema, LateReplyModeSchema, OriginalIdSchema, WeChatTokenSchema, WelcomeTextSchema } from '../protocol/account-fields.js'

export { DEFAULT_LATE_REPLY_MODE, LateReplyModeSchema, type LateReplyMode } from '../protocol/account-fields.js'
import { LlmSettingsSchema } from '../llm/llm-settings.js'
import { MessageModeSchema } from '../protocol/message-mode.js'

/** A slug: the account's part of its URLs (`/wechat/<id>`) and of its log lines and metrics. */
export const ACCOUNT_ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,31}$'
/** The account that the single-account variables describe, at `/wechat`. */
export const DEFAULT_ACCOUNT = 'default'

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
