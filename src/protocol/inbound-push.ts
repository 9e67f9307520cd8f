import type { TObject } from '@sinclair/typebox'
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler'
import {
  EVENT_SCHEMAS, MESSAGE_SCHEMAS, UnknownPush,
  type EventTypes, type MessageTypes, type UnknownPush as UnknownPushType
} from './inbound-schemas.js'
import type { XmlFields } from './xml-codec.js'

/** A validated push, tagged so that a handler receives exactly the type it was written for. */
export type InboundPush =
  | { [K in keyof MessageTypes]: { kind: 'message', type: K, message: MessageTypes[K] } }[keyof MessageTypes]
  | { [K in keyof EventTypes]: { kind: 'event', type: K, message: EventTypes[K] } }[keyof EventTypes]
  | { kind: 'other', type: string, message: UnknownPushType }

export type PushResult =
  | { ok: true, push: InboundPush }
  /** `field` names the first offending field (a name from the schema, never a value). */
  | { ok: false, field: string }

function compileAll<T extends Record<string, TObject>> (schemas: T): Map<string, TypeCheck<TObject>> {
  return new Map(Object.entries(schemas).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]))
}

const messageChecks = compileAll(MESSAGE_SCHEMAS)
const eventChecks = compileAll(EVENT_SCHEMAS)
const unknownCheck = TypeCompiler.Compile(UnknownPush)

/** Turns the fields of a parsed `<xml>` into a typed push, or names the field that is wrong. */
export function toInboundPush (fields: XmlFields): PushResult {
  if (!unknownCheck.Check(fields)) return { ok: false, field: firstErrorField(unknownCheck, fields) }
  const { MsgType, Event } = fields as UnknownPushType
  const kind = MsgType === 'event' ? 'event' : 'message'
  const type = kind === 'event' ? Event : MsgType
  const check = type === undefined ? undefined : (kind === 'event' ? eventChecks : messageChecks).get(type)
  if (check === undefined) {
    return { ok: true, push: { kind: 'other', type: type ?? MsgType, message: fields as UnknownPushType } }
  }
  if (!check.Check(fields)) return { ok: false, field: firstErrorField(check, fields) }
  return { ok: true, push: { kind, type, message: fields } as InboundPush }
}

function firstErrorField (check: TypeCheck<TObject>, value: unknown): string {
  const error = check.Errors(value).First()
  /* c8 ignore next -- Errors() always yields one when Check() failed */
  return error === undefined ? 'xml' : (error.path.replace(/^\//, '') || 'xml')
}
