import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { cdata } from './xml-codec.js'

/** What a handler may answer with (docs/protocol.md §5); one schema gives the check and the type. */
const MediaId = Type.String({ minLength: 1, maxLength: 256 })
const Text = (maxLength: number) => Type.String({ maxLength })
const Article = Type.Object({
  title: Text(256),
  description: Text(1024),
  picUrl: Text(2048),
  url: Text(2048)
})

export const ReplySchema = Type.Union([
  Type.Object({ type: Type.Literal('text'), content: Type.String({ minLength: 1, maxLength: 8192 }) }),
  Type.Object({ type: Type.Literal('image'), mediaId: MediaId }),
  Type.Object({ type: Type.Literal('voice'), mediaId: MediaId }),
  Type.Object({ type: Type.Literal('video'), mediaId: MediaId, title: Type.Optional(Text(256)), description: Type.Optional(Text(1024)) }),
  Type.Object({
    type: Type.Literal('music'),
    thumbMediaId: MediaId,
    title: Type.Optional(Text(256)),
    description: Type.Optional(Text(1024)),
    musicUrl: Type.Optional(Text(2048)),
    hqMusicUrl: Type.Optional(Text(2048))
  }),
  Type.Object({ type: Type.Literal('news'), articles: Type.Array(Article, { minItems: 1, maxItems: 8 }) }),
  Type.Object({ type: Type.Literal('transfer_customer_service'), kfAccount: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) })
])

export type Reply = Static<typeof ReplySchema>
export type Article = Static<typeof Article>

/** Builders, so that handlers read `return reply.text('你好')`. */
export const reply = {
  text: (content: string): Reply => ({ type: 'text', content }),
  image: (mediaId: string): Reply => ({ type: 'image', mediaId }),
  voice: (mediaId: string): Reply => ({ type: 'voice', mediaId }),
  video: (mediaId: string, title?: string, description?: string): Reply =>
    ({ type: 'video', mediaId, ...(title === undefined ? {} : { title }), ...(description === undefined ? {} : { description }) }),
  music: (music: Omit<Extract<Reply, { type: 'music' }>, 'type'>): Reply => ({ type: 'music', ...music }),
  news: (articles: Article[]): Reply => ({ type: 'news', articles }),
  transferToCustomerService: (kfAccount?: string): Reply =>
    ({ type: 'transfer_customer_service', ...(kfAccount === undefined ? {} : { kfAccount }) })
}

/** The body that tells WeChat "no reply": it then shows nothing and does not retry. */
export const NO_REPLY = 'success'

/** Since 2018, WeChat allows one article in answer to these five message types. */
const ONE_ARTICLE_FOR = new Set(['text', 'image', 'video', 'link', 'location'])

export interface ReplyAddress {
  /** The fan's openid: the inbound FromUserName. */
  toUser: string
  /** The account's gh_ id: the inbound ToUserName. */
  fromAccount: string
  /** What the reply answers: a MsgType, or `event`. */
  inboundType: string
  createTime: number
}

const checkReply = TypeCompiler.Compile(ReplySchema)

export type RenderResult = { ok: true, xml: string } | { ok: false, reason: string }

/** Validates a handler's reply against WeChat's rules and renders the passive-reply XML. */
export function renderReply (value: unknown, address: ReplyAddress): RenderResult {
  if (!checkReply.Check(value)) {
    // Errors() always yields one when Check() failed.
    const error = checkReply.Errors(value).First()!
    return { ok: false, reason: `reply does not match the schema at ${error.path || '/'}` }
  }
  const r = value
  if (r.type === 'news' && ONE_ARTICLE_FOR.has(address.inboundType) && r.articles.length > 1) {
    return { ok: false, reason: `a ${address.inboundType} message may be answered with one article only` }
  }
  if (r.type === 'transfer_customer_service' && address.inboundType === 'event') {
    return { ok: false, reason: 'events cannot be transferred to customer service' }
  }
  const head = `<xml><ToUserName>${cdata(address.toUser)}</ToUserName><FromUserName>${cdata(address.fromAccount)}</FromUserName>` +
    `<CreateTime>${address.createTime}</CreateTime><MsgType>${cdata(r.type)}</MsgType>`
  return { ok: true, xml: `${head}${replyBody(r)}</xml>` }
}

function replyBody (r: Reply): string {
  switch (r.type) {
    case 'text': return `<Content>${cdata(r.content)}</Content>`
    case 'image': return `<Image><MediaId>${cdata(r.mediaId)}</MediaId></Image>`
    case 'voice': return `<Voice><MediaId>${cdata(r.mediaId)}</MediaId></Voice>`
    case 'video':
      return `<Video><MediaId>${cdata(r.mediaId)}</MediaId>${optional('Title', r.title)}${optional('Description', r.description)}</Video>`
    case 'music':
      return `<Music>${optional('Title', r.title)}${optional('Description', r.description)}${optional('MusicUrl', r.musicUrl)}` +
        `${optional('HQMusicUrl', r.hqMusicUrl)}<ThumbMediaId>${cdata(r.thumbMediaId)}</ThumbMediaId></Music>`
    case 'news':
      return `<ArticleCount>${r.articles.length}</ArticleCount><Articles>${r.articles.map(articleXml).join('')}</Articles>`
    case 'transfer_customer_service':
      return r.kfAccount === undefined ? '' : `<TransInfo><KfAccount>${cdata(r.kfAccount)}</KfAccount></TransInfo>`
  }
}

function articleXml (a: Article): string {
  return `<item><Title>${cdata(a.title)}</Title><Description>${cdata(a.description)}</Description>` +
    `<PicUrl>${cdata(a.picUrl)}</PicUrl><Url>${cdata(a.url)}</Url></item>`
}

function optional (tag: string, value: string | undefined): string {
  return value === undefined ? '' : `<${tag}>${cdata(value)}</${tag}>`
}
