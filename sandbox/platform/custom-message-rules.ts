import type { Json } from './json.js'
import { utf8Bytes } from './api-route.js'
import type { MediaStore } from './media-store.js'
import { ERR } from './wechat-errors.js'
import type { WeChatErrorBody } from './wechat-errors.js'

// The text limit WeChat's clients are known to hold customer-service text to (2048 bytes).
export const MAX_TEXT_BYTES = 2048

type Rule = (part: Json, media: MediaStore) => WeChatErrorBody | undefined

const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value !== ''
const usable = (media: MediaStore, id: unknown): boolean => typeof id === 'string' && media.usable(id) !== undefined
const needMedia = (...fields: string[]): Rule => (part, media) => fields.every((field) => usable(media, part[field])) ? undefined : ERR.invalidMediaId

/** What each customer-service message kind needs in its part (`{ "image": { … } }`). */
const RULES: Record<string, Rule> = {
  text: (part) => {
    if (!nonEmpty(part.content)) return ERR.emptyContent
    return utf8Bytes(part.content as string) > MAX_TEXT_BYTES ? ERR.contentSizeLimit : undefined
  },
  image: needMedia('media_id'),
  voice: needMedia('media_id'),
  video: needMedia('media_id', 'thumb_media_id'),
  music: (part, media) => nonEmpty(part.musicurl) && nonEmpty(part.hqmusicurl) ? needMedia('thumb_media_id')(part, media) : ERR.argumentInvalid,
  // Since 2018 a news message carries one article.
  news: (part) => {
    const articles = Array.isArray(part.articles) ? part.articles as Json[] : []
    if (articles.length === 0) return ERR.emptyNews
    if (articles.length > 1) return ERR.articleSizeLimit
    return nonEmpty(articles[0]?.title) && nonEmpty(articles[0]?.url) ? undefined : ERR.argumentInvalid
  },
  mpnews: (part, media) => typeof part.media_id === 'string' && media.permanent.get(part.media_id)?.type === 'news' ? undefined : ERR.invalidMediaId,
  mpnewsarticle: (part) => nonEmpty(part.article_id) ? undefined : ERR.argumentInvalid,
  msgmenu: (part) => {
    const list = Array.isArray(part.list) ? part.list as Json[] : []
    const wellFormed = list.length > 0 && list.every((item) => nonEmpty(item.id) && nonEmpty(item.content))
    return wellFormed ? undefined : ERR.argumentInvalid
  },
  wxcard: (part) => nonEmpty(part.card_id) ? undefined : ERR.argumentInvalid,
  miniprogrampage: (part, media) => {
    if (!nonEmpty(part.appid)) return ERR.invalidWeappAppid
    if (!nonEmpty(part.pagepath)) return ERR.invalidWeappPagepath
    return needMedia('thumb_media_id')(part, media)
  }
}

/** The errcode WeChat answers a message/custom/send body with, if any (the recipient aside). */
export function customMessageError (body: Json, media: MediaStore): WeChatErrorBody | undefined {
  const msgtype = typeof body.msgtype === 'string' ? body.msgtype : ''
  const rule = Object.hasOwn(RULES, msgtype) ? RULES[msgtype] as Rule : undefined
  if (rule === undefined) return ERR.invalidMessageType
  const part = body[msgtype]
  return rule(typeof part === 'object' && part !== null ? part as Json : {}, media)
}
