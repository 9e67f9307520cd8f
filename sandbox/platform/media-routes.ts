import type { FastifyInstance, FastifyReply } from 'fastify'
import { OK, apiRoute, fail } from './api-route.js'
import type { Json } from './json.js'
import { PERMANENT_LIMITS, TEMPORARY_LIMITS, isMediaType, uploadError } from './media-rules.js'
import type { StoredMedia } from './media-store.js'
import { readUploadForm } from './multipart.js'
import type { PlatformState } from './platform-state.js'
import { ERR } from './wechat-errors.js'

function sendFile (reply: FastifyReply, media: StoredMedia): FastifyReply {
  return reply.code(200)
    .header('content-disposition', `attachment; filename="${media.mediaId}.${media.filename.split('.').pop() as string}"`)
    .type(media.contentType === '' ? 'application/octet-stream' : media.contentType)
    .send(media.bytes)
}

// Permanent images are also served from WeChat's image host, as mmbiz URLs.
const imageUrl = (media: StoredMedia): string => `http://mmbiz.qpic.cn/mmbiz_jpg/${media.mediaId}/0?wx_fmt=jpeg`

/** Temporary media (media/upload, media/get) and permanent material (material/*). */
export function registerMediaRoutes (app: FastifyInstance, state: PlatformState): void {
  const { media } = state

  apiRoute(app, state, 'UPLOAD', '/cgi-bin/media/upload', async ({ request, query }) => {
    const type = query('type')
    if (!isMediaType(type)) fail(ERR.invalidMediaType)
    const form = await readUploadForm(request)
    const file = form.media ?? fail(ERR.missingMedia)
    const error = uploadError(TEMPORARY_LIMITS, type, file.filename, file.bytes)
    if (error !== undefined) fail(error)
    const stored = media.add('temporary', { type, ...file })
    // A thumb's id comes back under its own name, as WeChat sends it.
    return { type, [type === 'thumb' ? 'thumb_media_id' : 'media_id']: stored.mediaId, created_at: stored.createdAt }
  })

  apiRoute(app, state, 'GET', '/cgi-bin/media/get', ({ reply, query }) => {
    const found = media.liveTemporary(query('media_id') ?? '') ?? fail(ERR.invalidMediaId)
    // Videos are not sent as files but as a download address.
    if (found.type === 'video') return { video_url: `http://vweixinf.tc.qq.com/${found.mediaId}.mp4` }
    return sendFile(reply, found)
  })

  apiRoute(app, state, 'UPLOAD', '/cgi-bin/material/add_material', async ({ request, query }) => {
    const type = query('type')
    if (!isMediaType(type)) fail(ERR.invalidMediaType)
    const form = await readUploadForm(request)
    const file = form.media ?? fail(ERR.missingMedia)
    const error = uploadError(PERMANENT_LIMITS, type, file.filename, file.bytes)
    if (error !== undefined) fail(error)
    const description = type === 'video' ? videoDescription(form.fields.get('description')) : {}
    const stored = media.add('permanent', { type, ...file, ...description })
    return { media_id: stored.mediaId, ...(type === 'image' ? { url: imageUrl(stored) } : {}) }
  })

  apiRoute(app, state, 'POST', '/cgi-bin/material/get_material', ({ reply, body }) => {
    const found = media.permanent.get(String(body.media_id)) ?? fail(ERR.invalidMediaId)
    if (found.type === 'news') return { news_item: found.articles }
    if (found.type === 'video') return { title: found.title, description: found.introduction, down_url: `http://203.205.158.73/vweixinp.tc.qq.com/${found.mediaId}.mp4` }
    return sendFile(reply, found)
  })

  apiRoute(app, state, 'POST', '/cgi-bin/material/del_material', ({ body }) => {
    if (!media.permanent.delete(String(body.media_id))) fail(ERR.invalidMediaId)
    return OK
  })

  apiRoute(app, state, 'GET', '/cgi-bin/material/get_materialcount', () => {
    const count = (type: string): number => [...media.permanent.values()].filter((item) => item.type === type).length
    return { voice_count: count('voice'), video_count: count('video'), image_count: count('image'), news_count: count('news') }
  })

  apiRoute(app, state, 'POST', '/cgi-bin/material/batchget_material', ({ body }) => {
    const { type, offset, count } = body
    if (!['image', 'video', 'voice', 'news'].includes(String(type))) fail(ERR.invalidMediaType)
    if (!Number.isInteger(offset) || (offset as number) < 0 || !Number.isInteger(count) || (count as number) < 1 || (count as number) > 20) fail(ERR.invalidIndex)
    const all = [...media.permanent.values()].filter((item) => item.type === type).reverse()
    const items = all.slice(offset as number, (offset as number) + (count as number)).map((item): Json => item.type === 'news'
      ? { media_id: item.mediaId, content: { news_item: item.articles }, update_time: item.createdAt }
      : { media_id: item.mediaId, name: item.filename, update_time: item.createdAt, ...(item.type === 'image' ? { url: imageUrl(item) } : {}) })
    return { total_count: all.length, item_count: items.length, item: items }
  })
}

// A permanent video must say what it is: `{"title": …, "introduction": …}`.
function videoDescription (text: string | undefined): { title: string, introduction: string } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text ?? '')
  } catch {
    return fail(ERR.argumentInvalid)
  }
  const { title, introduction } = (parsed ?? {}) as Json
  if (typeof title !== 'string' || title === '' || typeof introduction !== 'string') fail(ERR.argumentInvalid)
  return { title, introduction }
}
