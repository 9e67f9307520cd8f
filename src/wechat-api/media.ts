import { Type } from '@sinclair/typebox'
import { answerReader } from './answer-schema.js'
import type { WeChatFile } from './http-call.js'
import { TEMPORARY_MEDIA_LIMITS, uploadForm } from './media-limits.js'
import type { MediaFile, MediaType } from './media-limits.js'
import type { CallWithToken, DownloadWithToken } from './token-call.js'

export const MEDIA_PATHS = {
  upload: '/cgi-bin/media/upload',
  get: '/cgi-bin/media/get'
} as const

// Files of up to 10 MB, sent or fetched, need longer than a JSON call's deadline.
export const FILE_TIMEOUT_MS = 60_000

const MediaId = Type.String({ minLength: 1 })
const readUpload = answerReader(Type.Intersect([
  Type.Object({ type: Type.String(), created_at: Type.Integer() }),
  // A thumb's id comes back as thumb_media_id, every other type's as media_id.
  Type.Union([Type.Object({ media_id: MediaId }), Type.Object({ thumb_media_id: MediaId })])
]))
const readVideo = answerReader(Type.Object({ video_url: Type.String() }))

export interface UploadedMedia {
  type: MediaType
  mediaId: string
  /** Seconds since the epoch; temporary media live three days from then. */
  createdAt: number
}

/** A temporary medium: the file itself, or for a video the address to fetch it from. */
export type DownloadedMedia = { kind: 'file', file: WeChatFile } | { kind: 'video', url: string }

export interface MediaApi {
  /** media/upload, once the file passed the type's format and size limits. */
  upload(type: MediaType, file: MediaFile): Promise<UploadedMedia>
  download(mediaId: string): Promise<DownloadedMedia>
}

export function createMediaApi (callWithToken: CallWithToken, downloadWithToken: DownloadWithToken): MediaApi {
  return {
    async upload (type, file) {
      const form = uploadForm(MEDIA_PATHS.upload, TEMPORARY_MEDIA_LIMITS, type, file)
      const json = await callWithToken(MEDIA_PATHS.upload, { method: 'POST', query: { type }, form, timeoutMs: FILE_TIMEOUT_MS })
      const answer = readUpload(json, MEDIA_PATHS.upload)
      return { type, mediaId: 'media_id' in answer ? answer.media_id : answer.thumb_media_id, createdAt: answer.created_at }
    },
    async download (mediaId) {
      const answer = await downloadWithToken(MEDIA_PATHS.get, { method: 'GET', query: { media_id: mediaId }, timeoutMs: FILE_TIMEOUT_MS })
      if (answer.kind === 'file') return answer
      return { kind: 'video', url: readVideo(answer.json, MEDIA_PATHS.get).video_url }
    }
  }
}
