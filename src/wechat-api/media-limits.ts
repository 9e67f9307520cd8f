import { refuse } from './answer-schema.js'

export type MediaType = 'image' | 'voice' | 'video' | 'thumb'

/** A file to upload: its bytes and a name whose extension says its format. */
export interface MediaFile {
  data: Uint8Array
  filename: string
  /** Inferred from the extension when absent. */
  contentType?: string
}

interface Limit {
  maxBytes: number
  formats: readonly string[]
}

const MB = 1024 * 1024

/** 临时素材: image 10 MB PNG/JPEG/JPG/GIF, voice 2 MB AMR/MP3, video 10 MB MP4, thumb 64 KB JPG. */
export const TEMPORARY_MEDIA_LIMITS: Record<MediaType, Limit> = {
  image: { maxBytes: 10 * MB, formats: ['png', 'jpeg', 'jpg', 'gif'] },
  voice: { maxBytes: 2 * MB, formats: ['amr', 'mp3'] },
  video: { maxBytes: 10 * MB, formats: ['mp4'] },
  thumb: { maxBytes: 64 * 1024, formats: ['jpg'] }
}

/** 永久素材: as temporary media, plus BMP images and WMA/WAV voice. */
export const PERMANENT_MEDIA_LIMITS: Record<MediaType, Limit> = {
  image: { maxBytes: 10 * MB, formats: ['bmp', 'png', 'jpeg', 'jpg', 'gif'] },
  voice: { maxBytes: 2 * MB, formats: ['mp3', 'wma', 'wav', 'amr'] },
  video: { maxBytes: 10 * MB, formats: ['mp4'] },
  thumb: { maxBytes: 64 * 1024, formats: ['jpg'] }
}

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  amr: 'audio/amr',
  mp3: 'audio/mpeg',
  wma: 'audio/x-ms-wma',
  wav: 'audio/wav',
  mp4: 'video/mp4'
}

/**
 * The multipart body WeChat's uploads take (the file as part `media`), once the file has passed
 * the type's format and size limits: a file WeChat would refuse is not sent at all.
 */
export function uploadForm (path: string, limits: Record<MediaType, Limit>, type: MediaType, file: MediaFile): FormData {
  const limit = limits[type]
  const format = /\.([a-z0-9]+)$/i.exec(file.filename)?.[1]?.toLowerCase() ?? ''
  if (!limit.formats.includes(format)) refuse(path, `a ${type} is one of ${limit.formats.join(', ')}; ${JSON.stringify(file.filename)} is not`)
  if (file.data.byteLength === 0) refuse(path, 'the file is empty')
  if (file.data.byteLength > limit.maxBytes) refuse(path, `a ${type} is at most ${limit.maxBytes} bytes; this one has ${file.data.byteLength}`)
  const form = new FormData()
  // Every format listed has its content type.
  // Copied: a Blob takes no view over a possibly shared buffer.
  form.append('media', new Blob([new Uint8Array(file.data)], { type: file.contentType ?? CONTENT_TYPES[format]! }), file.filename)
  return form
}
