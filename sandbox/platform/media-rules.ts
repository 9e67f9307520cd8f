import { ERR } from './wechat-errors.js'
import type { WeChatErrorBody } from './wechat-errors.js'
import type { MediaType } from './media-store.js'

interface Limit {
  bytes: number
  extensions: string[]
}

const MB = 1024 * 1024

/** 新增临时素材: image 10 MB PNG/JPEG/JPG/GIF, voice 2 MB AMR/MP3, video 10 MB MP4, thumb 64 KB JPG. */
export const TEMPORARY_LIMITS: Record<MediaType, Limit> = {
  image: { bytes: 10 * MB, extensions: ['png', 'jpeg', 'jpg', 'gif'] },
  voice: { bytes: 2 * MB, extensions: ['amr', 'mp3'] },
  video: { bytes: 10 * MB, extensions: ['mp4'] },
  thumb: { bytes: 64 * 1024, extensions: ['jpg'] }
}

/** 新增永久素材: as temporary, plus BMP images and WMA/WAV voice. */
export const PERMANENT_LIMITS: Record<MediaType, Limit> = {
  image: { bytes: 10 * MB, extensions: ['bmp', 'png', 'jpeg', 'jpg', 'gif'] },
  voice: { bytes: 2 * MB, extensions: ['mp3', 'wma', 'wav', 'amr'] },
  video: { bytes: 10 * MB, extensions: ['mp4'] },
  thumb: { bytes: 64 * 1024, extensions: ['jpg'] }
}

// How each format's bytes begin: WeChat looks at the content, not only at the name.
const jpeg = (b: Buffer): boolean => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff
const MAGIC: Record<string, (bytes: Buffer) => boolean> = {
  jpg: jpeg,
  jpeg,
  png: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  gif: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  bmp: (b) => b.subarray(0, 2).toString('latin1') === 'BM',
  amr: (b) => b.subarray(0, 5).toString('latin1') === '#!AMR',
  mp3: (b) => b.subarray(0, 3).toString('latin1') === 'ID3' || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0),
  wav: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF',
  wma: (b) => b.subarray(0, 4).equals(Buffer.from([0x30, 0x26, 0xb2, 0x75])),
  mp4: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp'
}

export const isMediaType = (type: unknown): type is MediaType => typeof type === 'string' && Object.hasOwn(TEMPORARY_LIMITS, type)

/** What WeChat answers an upload of `bytes` named `filename` as `type` with, if it refuses it. */
export function uploadError (limits: Record<MediaType, Limit>, type: MediaType, filename: string, bytes: Buffer): WeChatErrorBody | undefined {
  const limit = limits[type]
  const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? ''
  if (!limit.extensions.includes(extension)) return ERR.unsupportedFileType
  if (bytes.length === 0) return ERR.emptyMedia
  if (bytes.length > limit.bytes) return ERR.mediaSizeLimit
  // Every extension a limit lists has its magic.
  return MAGIC[extension]!(bytes) ? undefined : ERR.invalidFileType
}
