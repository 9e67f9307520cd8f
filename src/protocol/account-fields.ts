import { Type } from '@sinclair/typebox'

/** The formats WeChat's console gives an account's fields (docs/protocol.md §1-2): checked wherever they are configured. */
export const WeChatTokenSchema = Type.String({ minLength: 3, maxLength: 32, pattern: '^[A-Za-z0-9]+$' })
export const AesKeySchema = Type.String({ pattern: '^[A-Za-z0-9]{43}$' })
export const WelcomeTextSchema = Type.String({ minLength: 1, maxLength: 600 })
export const OriginalIdSchema = Type.String({ pattern: '^gh_[A-Za-z0-9]+$' })
