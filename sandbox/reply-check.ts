import { XMLParser, XMLValidator } from 'fast-xml-parser'

/** A passive reply as the chat shows it (docs/protocol.md §5). */
export type ReplyContent =
  | { type: 'text', content: string }
  | { type: 'image', mediaId: string }
  | { type: 'voice', mediaId: string }
  | { type: 'video', mediaId: string, title?: string, description?: string }
  | { type: 'music', thumbMediaId: string, title?: string, description?: string, musicUrl?: string, hqMusicUrl?: string }
  | { type: 'news', articles: Article[] }
  | { type: 'transfer_customer_service', kfAccount?: string }

export interface Article { title: string, description: string, picUrl: string, url: string }

export type ReplyCheck = { ok: true, reply: ReplyContent } | { ok: false, reason: string }

/** The push being answered: who must be addressed, and what kind of push it was. */
export interface AnsweredPush {
  openid: string
  accountId: string
  /** The inbound MsgType (`event` for events). */
  msgType: string
}

type Node = string | { [name: string]: Node | Node[] }
type Fields = Record<string, Node | Node[]>

const MAX_ARTICLES = 8
// Since 2018-10-12 these five message types may be answered with one article only.
const ONE_ARTICLE_FOR = new Set(['text', 'image', 'video', 'link', 'location'])

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  processEntities: true,
  htmlEntities: false,
  trimValues: true,
  isArray: (_name, jPath) => jPath === 'xml.Articles.item'
})

/**
 * Checks a (decrypted) reply the way WeChat judges it before showing anything: XML with one
 * `<xml>` root, addressed back to the fan by the account, CreateTime in seconds, a known
 * MsgType with its required fields. Every refusal says why, in the words of the rule broken.
 */
export function checkReply (xml: string, push: AnsweredPush): ReplyCheck {
  const fields = parseReply(xml)
  if (typeof fields === 'string') return refuse(fields)
  const text = (name: string, from: Fields = fields): string | undefined => typeof from[name] === 'string' ? from[name] : undefined
  const repeated = Object.keys(fields).find((name) => Array.isArray(fields[name]))
  if (repeated !== undefined) return refuse(`字段 ${repeated} 出现了多次`)
  const toUser = text('ToUserName')
  if (toUser !== push.openid) return refuse(`ToUserName 应为粉丝的 openid ${push.openid}（推送的 FromUserName），收到 ${describe(toUser)}`)
  const fromUser = text('FromUserName')
  if (fromUser !== push.accountId) return refuse(`FromUserName 应为公众号原始 ID ${push.accountId}（推送的 ToUserName），收到 ${describe(fromUser)}`)
  const createTime = text('CreateTime') ?? ''
  if (!/^\d{1,12}$/.test(createTime)) {
    return refuse(/^\d{13,}$/.test(createTime) ? `CreateTime 必须是秒级时间戳，${createTime} 是毫秒` : `CreateTime 必须是整数秒，收到 ${describe(text('CreateTime'))}`)
  }
  const msgType = text('MsgType')
  switch (msgType) {
    case 'text': {
      const content = text('Content')
      return content === undefined || content === '' ? refuse('text 回复缺少 Content（或 Content 为空）') : { ok: true, reply: { type: 'text', content } }
    }
    case 'image':
    case 'voice': {
      const wrapper = msgType === 'image' ? 'Image' : 'Voice'
      const mediaId = child(fields, wrapper, 'MediaId')
      return mediaId === undefined ? refuse(`${msgType} 回复缺少 ${wrapper}.MediaId`) : { ok: true, reply: { type: msgType, mediaId } }
    }
    case 'video': {
      const mediaId = child(fields, 'Video', 'MediaId')
      if (mediaId === undefined) return refuse('video 回复缺少 Video.MediaId')
      return { ok: true, reply: { type: 'video', mediaId, ...optional('title', child(fields, 'Video', 'Title')), ...optional('description', child(fields, 'Video', 'Description')) } }
    }
    case 'music': {
      const thumbMediaId = child(fields, 'Music', 'ThumbMediaId')
      if (thumbMediaId === undefined) return refuse('music 回复缺少 Music.ThumbMediaId')
      return {
        ok: true,
        reply: {
          type: 'music', thumbMediaId,
          ...optional('title', child(fields, 'Music', 'Title')), ...optional('description', child(fields, 'Music', 'Description')),
          ...optional('musicUrl', child(fields, 'Music', 'MusicUrl')), ...optional('hqMusicUrl', child(fields, 'Music', 'HQMusicUrl'))
        }
      }
    }
    case 'news': return checkNews(fields, text('ArticleCount'), push)
    case 'transfer_customer_service': {
      if (push.msgType === 'event') return refuse('事件推送不能转发到客服（transfer_customer_service 只用于用户消息）')
      const kfAccount = child(fields, 'TransInfo', 'KfAccount')
      return { ok: true, reply: { type: 'transfer_customer_service', ...optional('kfAccount', kfAccount) } }
    }
    default: return refuse(msgType === undefined ? '缺少 MsgType' : `未知的 MsgType：${msgType}`)
  }
}

function checkNews (fields: Fields, count: string | undefined, push: AnsweredPush): ReplyCheck {
  const articles = fields.Articles
  const items = typeof articles === 'object' && !Array.isArray(articles) ? articles.item : undefined
  if (!Array.isArray(items) || items.length === 0) return refuse('news 回复没有文章（Articles 里需要 1 到 8 个 item）')
  if (items.length > MAX_ARTICLES) return refuse(`news 回复最多 ${MAX_ARTICLES} 篇文章，收到 ${items.length} 篇`)
  if (count !== String(items.length)) return refuse(`ArticleCount 为 ${describe(count)}，但 Articles 里有 ${items.length} 个 item`)
  if (items.length > 1 && ONE_ARTICLE_FOR.has(push.msgType)) return refuse(`回复 ${push.msgType} 消息时只能回复 1 篇图文，收到 ${items.length} 篇`)
  const parsed: Article[] = []
  for (const [index, item] of items.entries()) {
    const get = (name: string) => typeof item === 'object' && !Array.isArray(item) && typeof item[name] === 'string' ? item[name] : undefined
    const [title, description, picUrl, url] = ['Title', 'Description', 'PicUrl', 'Url'].map(get)
    if (title === undefined || description === undefined || picUrl === undefined || url === undefined) {
      return refuse(`第 ${index + 1} 篇文章缺少 Title、Description、PicUrl 或 Url`)
    }
    parsed.push({ title, description, picUrl, url })
  }
  return { ok: true, reply: { type: 'news', articles: parsed } }
}

/** The children of the one `<xml>` root, or why the text is not a WeChat XML document. */
function parseReply (xml: string): Fields | string {
  const trimmed = xml.trim()
  if (/^[[{]/.test(trimmed) && isJson(trimmed)) return '回复是 JSON，被动回复必须是 XML'
  if (!trimmed.startsWith('<')) return `回复不是 XML：${JSON.stringify(trimmed.slice(0, 40))}`
  if (/<!DOCTYPE|<!ENTITY/i.test(trimmed)) return '回复里不能有 DOCTYPE 或 ENTITY 声明'
  const valid = XMLValidator.validate(trimmed)
  if (valid !== true) return `XML 格式错误（第 ${valid.err.line} 行）：${valid.err.msg}`
  const document = parser.parse(trimmed) as Record<string, unknown>
  const roots = Object.keys(document).filter((name) => !name.startsWith('?'))
  const root = document.xml
  if (roots.length !== 1 || root === undefined || Array.isArray(root)) return `根元素必须是唯一的 <xml>，收到 ${roots.map((r) => `<${r}>`).join('')}`
  // An empty <xml></xml> parses as text: no fields at all.
  return typeof root === 'object' ? root as Fields : {}
}

function child (fields: Fields, wrapper: string, name: string): string | undefined {
  const node = fields[wrapper]
  if (typeof node !== 'object' || Array.isArray(node)) return undefined
  const value = node[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}

function optional<K extends string> (key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string }
}

function isJson (text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function describe (value: string | undefined): string {
  return value === undefined ? '（缺失）' : JSON.stringify(value)
}

function refuse (reason: string): ReplyCheck {
  return { ok: false, reason }
}
