import type { Static, TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { Type } from '@sinclair/typebox'
import type { WeChatJson } from './http-call.js'
import { WeChatApiError } from './wechat-api-error.js'

/**
 * A reader that checks WeChat's answer against a schema (compiled once) and returns it typed,
 * or throws a bad-response error naming the first field that is wrong. Fields WeChat adds
 * later are kept: the schemas list what a call needs, not all WeChat may send.
 */
export function answerReader<T extends TSchema> (schema: T): (json: WeChatJson, path: string) => Static<T> {
  const check = TypeCompiler.Compile(schema)
  return (json, path) => {
    if (check.Check(json)) return json
    // Errors() yields at least one when Check() failed.
    const error = check.Errors(json).First()!
    throw new WeChatApiError({ kind: 'bad-response', path, detail: `${error.path === '' ? '/' : error.path}: ${error.message}` })
  }
}

/** An id WeChat sends as a number that may pass 2^53: kept exactly as a string by the parser. */
export const LongId = Type.Union([Type.Integer(), Type.String({ minLength: 1 })])

/** Back to JSON: a number while a double holds it exactly, else its decimal string. */
export function wireId (id: string): number | string {
  const value = Number(id)
  return Number.isSafeInteger(value) && String(value) === id ? value : id
}

/** Refuses a request before sending: WeChat would refuse it too, and the call costs quota. */
export function refuse (path: string, detail: string): never {
  throw new WeChatApiError({ kind: 'invalid-request', path, detail })
}
