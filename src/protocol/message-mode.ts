import { Type, type Static } from '@sinclair/typebox'

/** 明文, 兼容 and 安全 mode, as the account's console names them (docs/protocol.md §2). */
export const MessageModeSchema = Type.Union([Type.Literal('plain'), Type.Literal('compatible'), Type.Literal('safe')])

export type MessageMode = Static<typeof MessageModeSchema>
