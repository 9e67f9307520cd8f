import { Type, type Static } from '@sinclair/typebox'
import { MessageModeSchema } from '../src/protocol/message-mode.js'
import { PRESET_LABELS } from './jssdk-location.js'

const Short = (maxLength = 256) => Type.String({ minLength: 1, maxLength })

/**
 * The JSON the console posts to /api/send; the same shapes as FanAction (fan-message.ts).
 * No additionalProperties: false on the members: Fastify's Ajv removes additional properties
 * while it tries each anyOf branch, which would strip a later branch's fields.
 */
export const FanActionSchema = Type.Union([
  Type.Object({ kind: Type.Literal('text'), content: Short(2048) }),
  Type.Object({
    kind: Type.Literal('location'),
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
    label: Type.String({ maxLength: 256 })
  }),
  Type.Object({ kind: Type.Literal('image') }),
  Type.Object({ kind: Type.Literal('voice') }),
  Type.Object({ kind: Type.Literal('link'), url: Short(2048), title: Type.Optional(Type.String({ maxLength: 256 })) }),
  Type.Object({ kind: Type.Literal('subscribe'), scene: Type.Optional(Short(64)) }),
  Type.Object({ kind: Type.Literal('unsubscribe') }),
  Type.Object({ kind: Type.Literal('scan'), scene: Short(64) }),
  Type.Object({ kind: Type.Literal('click'), key: Short(128) }),
  Type.Object({ kind: Type.Literal('view'), url: Short(1024) })
])

export const SendBodySchema = Type.Object({
  /** The account the fan writes to (its id); the first account when absent. */
  account: Type.Optional(Short(32)),
  openid: Short(64),
  action: FanActionSchema,
  mode: Type.Optional(MessageModeSchema)
}, { additionalProperties: false })

export type SendBody = Static<typeof SendBodySchema>

export const NewFanSchema = Type.Object({ nickname: Short(32) }, { additionalProperties: false })

/** The console's JS-SDK control: where this fan's phone says it is, or that it refuses. */
export const JssdkLocationBodySchema = Type.Object({
  openid: Short(64),
  place: Type.Union(PRESET_LABELS.map((label) => Type.Literal(label))),
  denied: Type.Boolean()
}, { additionalProperties: false })

export type JssdkLocationBody = Static<typeof JssdkLocationBodySchema>
