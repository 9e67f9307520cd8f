/** A customer-service (客服) message of any kind WeChat sends, in our own words. */
export type CustomMessage =
  | { type: 'text', content: string }
  | { type: 'image', mediaId: string }
  | { type: 'voice', mediaId: string }
  | { type: 'video', mediaId: string, thumbMediaId: string, title?: string, description?: string }
  | { type: 'music', musicUrl: string, hqMusicUrl: string, thumbMediaId: string, title?: string, description?: string }
  /** One article (WeChat allows no more since 2018), opened at `url`. */
  | { type: 'news', title: string, description?: string, url: string, picUrl?: string }
  /** A news material (permanent, 图文) by media id. */
  | { type: 'mpnews', mediaId: string }
  /** A published article by article id. */
  | { type: 'mpnewsarticle', articleId: string }
  /** A menu message: the fan taps an item and its id comes back as a text message. */
  | { type: 'menu', head?: string, items: Array<{ id: string, content: string }>, tail?: string }
  | { type: 'wxcard', cardId: string }
  | { type: 'miniprogrampage', title: string, appid: string, pagepath: string, thumbMediaId: string }

const optional = <T>(name: string, value: T | undefined): Record<string, T> => value === undefined ? {} : { [name]: value }

/** The `msgtype` and its part, as message/custom/send takes them. */
export function customMessagePart (message: CustomMessage): { msgtype: string, part: Record<string, unknown> } {
  switch (message.type) {
    case 'text': return { msgtype: 'text', part: { content: message.content } }
    case 'image':
    case 'voice': return { msgtype: message.type, part: { media_id: message.mediaId } }
    case 'video': return {
      msgtype: 'video',
      part: { media_id: message.mediaId, thumb_media_id: message.thumbMediaId, ...optional('title', message.title), ...optional('description', message.description) }
    }
    case 'music': return {
      msgtype: 'music',
      part: {
        ...optional('title', message.title),
        ...optional('description', message.description),
        musicurl: message.musicUrl,
        hqmusicurl: message.hqMusicUrl,
        thumb_media_id: message.thumbMediaId
      }
    }
    case 'news': return {
      msgtype: 'news',
      part: { articles: [{ title: message.title, ...optional('description', message.description), url: message.url, ...optional('picurl', message.picUrl) }] }
    }
    case 'mpnews': return { msgtype: 'mpnews', part: { media_id: message.mediaId } }
    case 'mpnewsarticle': return { msgtype: 'mpnewsarticle', part: { article_id: message.articleId } }
    case 'menu': return {
      msgtype: 'msgmenu',
      part: { ...optional('head_content', message.head), list: message.items, ...optional('tail_content', message.tail) }
    }
    case 'wxcard': return { msgtype: 'wxcard', part: { card_id: message.cardId } }
    case 'miniprogrampage': return {
      msgtype: 'miniprogrampage',
      part: { title: message.title, appid: message.appid, pagepath: message.pagepath, thumb_media_id: message.thumbMediaId }
    }
  }
}
