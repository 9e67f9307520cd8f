import { Type, type Static } from '@sinclair/typebox'
import { answerReader, refuse } from './answer-schema.js'
import type { WeChatFile } from './http-call.js'
import { PERMANENT_MEDIA_LIMITS, uploadForm } from './media-limits.js'
import type { MediaFile, MediaType } from './media-limits.js'
import { FILE_TIMEOUT_MS } from './media.js'
import type { CallWithToken, DownloadWithToken } from './token-call.js'

export const MATERIAL_PATHS = {
  add: '/cgi-bin/material/add_material',
  get: '/cgi-bin/material/get_material',
  delete: '/cgi-bin/material/del_material',
  count: '/cgi-bin/material/get_materialcount',
  batchGet: '/cgi-bin/material/batchget_material'
} as const

export const MAX_BATCH_COUNT = 20

const NewsItem = Type.Object({ title: Type.String() })
const readAdded = answerReader(Type.Object({ media_id: Type.String({ minLength: 1 }), url: Type.Optional(Type.String()) }))
const readVideo = answerReader(Type.Object({ title: Type.String(), description: Type.String(), down_url: Type.String() }))
const readNews = answerReader(Type.Object({ news_item: Type.Array(NewsItem) }))
const readCount = answerReader(Type.Object({ voice_count: Type.Integer(), video_count: Type.Integer(), image_count: Type.Integer(), news_count: Type.Integer() }))
const readBatch = answerReader(Type.Object({
  total_count: Type.Integer(),
  item_count: Type.Integer(),
  item: Type.Array(Type.Object({
    media_id: Type.String(),
    update_time: Type.Integer(),
    name: Type.Optional(Type.String()),
    url: Type.Optional(Type.String()),
    content: Type.Optional(Type.Object({ news_item: Type.Array(NewsItem) }))
  }))
}))

/** A news article as WeChat stores it; fields beyond the title vary with its age. */
export type NewsArticle = Static<typeof NewsItem> & Record<string, unknown>

export type Material =
  | { kind: 'file', file: WeChatFile }
  | { kind: 'video', title: string, description: string, downloadUrl: string }
  | { kind: 'news', articles: NewsArticle[] }

export interface MaterialCount {
  voice: number
  video: number
  image: number
  news: number
}

export interface MaterialItem {
  mediaId: string
  updateTime: number
  name?: string
  /** Images: their address on WeChat's image host. */
  url?: string
  /** News: its articles. */
  articles?: NewsArticle[]
}

export interface MaterialApi {
  /** add_material; a video must say what it is. Images come back with their URL. */
  add(type: MediaType, file: MediaFile, video?: { title: string, introduction: string }): Promise<{ mediaId: string, url?: string }>
  get(mediaId: string): Promise<Material>
  delete(mediaId: string): Promise<void>
  count(): Promise<MaterialCount>
  /** A page of up to 20 materials of one type, newest first. */
  list(type: 'image' | 'video' | 'voice' | 'news', offset: number, count: number): Promise<{ total: number, items: MaterialItem[] }>
}

export function createMaterialApi (callWithToken: CallWithToken, downloadWithToken: DownloadWithToken): MaterialApi {
  return {
    async add (type, file, video) {
      const form = uploadForm(MATERIAL_PATHS.add, PERMANENT_MEDIA_LIMITS, type, file)
      if (type === 'video') {
        if (video === undefined || video.title === '') refuse(MATERIAL_PATHS.add, 'a permanent video needs a title and an introduction')
        form.append('description', JSON.stringify({ title: video.title, introduction: video.introduction }))
      }
      const json = await callWithToken(MATERIAL_PATHS.add, { method: 'POST', query: { type }, form, timeoutMs: FILE_TIMEOUT_MS })
      const answer = readAdded(json, MATERIAL_PATHS.add)
      return { mediaId: answer.media_id, ...(answer.url === undefined ? {} : { url: answer.url }) }
    },
    async get (mediaId) {
      const answer = await downloadWithToken(MATERIAL_PATHS.get, { method: 'POST', body: { media_id: mediaId }, timeoutMs: FILE_TIMEOUT_MS })
      if (answer.kind === 'file') return answer
      if ('news_item' in answer.json) return { kind: 'news', articles: readNews(answer.json, MATERIAL_PATHS.get).news_item }
      const video = readVideo(answer.json, MATERIAL_PATHS.get)
      return { kind: 'video', title: video.title, description: video.description, downloadUrl: video.down_url }
    },
    async delete (mediaId) {
      await callWithToken(MATERIAL_PATHS.delete, { method: 'POST', body: { media_id: mediaId } })
    },
    async count () {
      const json = readCount(await callWithToken(MATERIAL_PATHS.count, { method: 'GET' }), MATERIAL_PATHS.count)
      return { voice: json.voice_count, video: json.video_count, image: json.image_count, news: json.news_count }
    },
    async list (type, offset, count) {
      if (!Number.isInteger(offset) || offset < 0) refuse(MATERIAL_PATHS.batchGet, 'offset is an integer of 0 or more')
      if (!Number.isInteger(count) || count < 1 || count > MAX_BATCH_COUNT) refuse(MATERIAL_PATHS.batchGet, `count is an integer from 1 to ${MAX_BATCH_COUNT}`)
      const json = await callWithToken(MATERIAL_PATHS.batchGet, { method: 'POST', body: { type, offset, count } })
      const answer = readBatch(json, MATERIAL_PATHS.batchGet)
      const items = answer.item.map((item): MaterialItem => ({
        mediaId: item.media_id,
        updateTime: item.update_time,
        ...(item.name === undefined ? {} : { name: item.name }),
        ...(item.url === undefined ? {} : { url: item.url }),
        ...(item.content === undefined ? {} : { articles: item.content.news_item })
      }))
      return { total: answer.total_count, items }
    }
  }
}
