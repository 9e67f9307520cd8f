import type { Json } from './json.js'
import { utf8Bytes } from './api-route.js'
import { ERR } from './wechat-errors.js'
import type { WeChatErrorBody } from './wechat-errors.js'

const KEY_TYPES = new Set(['click', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin', 'location_select'])
const MEDIA_TYPES = new Set(['media_id', 'article_id', 'article_view_limited'])
const URL_TYPES = new Set(['view', 'miniprogram'])

interface Level {
  nameBytes: number
  size: WeChatErrorBody
  name: WeChatErrorBody
  type: WeChatErrorBody
  key: WeChatErrorBody
  url: WeChatErrorBody
  domain: WeChatErrorBody
}

const TOP: Level = { nameBytes: 16, size: ERR.invalidButtonSize, name: ERR.invalidButtonNameSize, type: ERR.invalidButtonType, key: ERR.invalidButtonKeySize, url: ERR.invalidButtonUrlSize, domain: ERR.invalidButtonUrl }
const SUB: Level = { nameBytes: 60, size: ERR.invalidSubButtonSize, name: ERR.invalidSubButtonNameSize, type: ERR.invalidSubButtonType, key: ERR.invalidSubButtonKeySize, url: ERR.invalidSubButtonUrlSize, domain: ERR.invalidSubButtonUrl }

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const text = (value: unknown): string => typeof value === 'string' ? value : ''

/**
 * The errcode WeChat answers a menu/create body with, checked in WeChat's order: the button
 * count, then each button's name, type, key and url, top-level codes 40016–40020 and their
 * sub-button twins 40023–40027. Written apart from src/menu so that each checks the other.
 */
export function menuError (body: Json, mediaExists: (mediaId: string) => boolean): WeChatErrorBody | undefined {
  const buttons = body.button
  if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 3) return ERR.invalidButtonSize
  for (const button of buttons) {
    const error = buttonError(button, TOP, mediaExists)
    if (error !== undefined) return error
  }
  return undefined
}

function buttonError (button: unknown, level: Level, mediaExists: (mediaId: string) => boolean): WeChatErrorBody | undefined {
  if (!isObject(button)) return level.type
  const name = text(button.name)
  if (name === '' || utf8Bytes(name) > level.nameBytes) return level.name
  const subs = Array.isArray(button.sub_button) ? button.sub_button : []
  if (subs.length > 0) {
    if (level === SUB) return ERR.invalidSubButtonLevel
    if (subs.length > 5) return SUB.size
    for (const sub of subs) {
      const error = buttonError(sub, SUB, mediaExists)
      if (error !== undefined) return error
    }
    return undefined
  }
  const type = text(button.type)
  if (KEY_TYPES.has(type)) {
    const key = text(button.key)
    return key === '' || utf8Bytes(key) > 128 ? level.key : undefined
  }
  if (URL_TYPES.has(type)) {
    const url = text(button.url)
    if (url === '' || utf8Bytes(url) > 1024) return level.url
    if (!/^https?:\/\//i.test(url)) return level.domain
    if (type === 'view') return undefined
    if (text(button.appid) === '') return ERR.invalidWeappAppid
    return text(button.pagepath) === '' ? ERR.invalidWeappPagepath : undefined
  }
  if (MEDIA_TYPES.has(type)) {
    const id = text(type === 'media_id' ? button.media_id : button.article_id)
    return id === '' || (type === 'media_id' && !mediaExists(id)) ? ERR.invalidMediaId : undefined
  }
  return level.type
}

// Since 2022 only tag and platform may be matched on; WeChat refuses the rest with 65320.
const PRIVATE_RULES = ['sex', 'country', 'province', 'city', 'language']

export function matchRuleError (rule: unknown, tagExists: (id: number) => boolean): WeChatErrorBody | undefined {
  if (!isObject(rule)) return ERR.matchRuleEmpty
  if (PRIVATE_RULES.some((field) => rule[field] !== undefined)) return ERR.privateMatchRule
  const tag = text(rule.tag_id)
  const platform = text(rule.client_platform_type)
  if (tag === '' && platform === '') return ERR.matchRuleEmpty
  if (tag !== '' && !tagExists(Number(tag))) return ERR.invalidTagId
  return platform === '' || ['1', '2', '3'].includes(platform) ? undefined : ERR.invalidArgs
}
