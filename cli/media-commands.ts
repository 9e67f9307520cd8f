import { basename } from 'node:path'
import type { MediaType } from '../src/wechat-api/media-limits.js'
import type { CliAccount } from './cli-account.js'
import { readArgumentFile } from './cli-files.js'
import { UsageError } from './cli-output.js'
import type { Outcome } from './cli-output.js'

export interface UploadRequest {
  file: string
  type: MediaType
  permanent: boolean
  /** A permanent video's title and introduction. */
  title?: string
  introduction?: string
}

const TEMPORARY_LIFETIME_S = 3 * 24 * 3600

/** `wemp media upload FILE --type T [--permanent]`: temporary media (three days) or permanent material. */
export async function mediaUpload (account: CliAccount, request: UploadRequest, cwd: string): Promise<Outcome> {
  const file = { data: await readArgumentFile(request.file, cwd), filename: basename(request.file) }
  const { media, material } = account.api.management
  if (request.permanent) {
    if (request.type === 'video' && request.title === undefined) throw new UsageError('a permanent video needs --title (and --introduction)')
    const video = request.type === 'video' ? { title: request.title as string, introduction: request.introduction ?? '' } : undefined
    const added = await material.add(request.type, file, video)
    return {
      text: [`uploaded ${file.filename} as permanent ${request.type} material`, `  media_id  ${added.mediaId}`, ...(added.url === undefined ? [] : [`  url       ${added.url}`])].join('\n'),
      json: { permanent: true, type: request.type, file: file.filename, mediaId: added.mediaId, url: added.url ?? null }
    }
  }
  const uploaded = await media.upload(request.type, file)
  const expiresAt = new Date((uploaded.createdAt + TEMPORARY_LIFETIME_S) * 1000).toISOString()
  return {
    text: [`uploaded ${file.filename} as temporary ${request.type} media, usable until ${expiresAt} (three days)`, `  media_id  ${uploaded.mediaId}`].join('\n'),
    json: { permanent: false, type: request.type, file: file.filename, mediaId: uploaded.mediaId, createdAt: uploaded.createdAt, expiresAt }
  }
}
