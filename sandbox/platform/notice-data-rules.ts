import type { Json } from './json.js'
import { ERR } from './wechat-errors.js'
import type { WeChatErrorBody } from './wechat-errors.js'

// 订阅消息参数值内容限制: a key's prefix names its kind, and each kind has its length.
const MAX_CHARACTERS: Array<[RegExp, number]> = [
  [/^thing\d+$/, 20],
  [/^number\d+$/, 32],
  [/^letter\d+$/, 32],
  [/^symbol\d+$/, 5],
  [/^character_string\d+$/, 32],
  [/^phrase\d+$/, 5],
  [/^name\d+$/, 10],
  [/^phone_number\d+$/, 17],
  [/^car_number\d+$/, 8],
  [/^amount\d+$/, 32],
  [/^(time|date)\d+$/, 32],
  // Old-style keys (keyword1, first, remark…) are held to a thing's length.
  [/^/, 20]
]

/**
 * WeChat's answer to the `data` of a template message or subscription notice: every key the
 * template has must carry `{ value }`, a non-empty string within its kind's length (47003).
 */
export function noticeDataError (data: unknown, keys: string[]): WeChatErrorBody | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return ERR.argumentInvalid
  for (const key of keys) {
    const value = ((data as Json)[key] as { value?: unknown } | undefined)?.value
    if (typeof value !== 'string' || value === '') return { ...ERR.argumentInvalid, errmsg: `argument invalid! data.${key}.value is empty` }
    // The last pattern matches every key.
    const max = MAX_CHARACTERS.find(([pattern]) => pattern.test(key))![1]
    if ([...value].length > max) return { ...ERR.argumentInvalid, errmsg: `argument invalid! data.${key}.value invalid` }
  }
  return undefined
}

/** The `{{key.DATA}}` keys of a template's content. */
export function templateKeys (content: string): string[] {
  return [...content.matchAll(/\{\{(\w+)\.DATA\}\}/g)].map((match) => match[1] as string)
}
