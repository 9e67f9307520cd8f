import type { Clock } from './platform-clock.js'
import { randomId } from './random-id.js'

export type MediaType = 'image' | 'voice' | 'video' | 'thumb'

export interface StoredMedia {
  mediaId: string
  type: MediaType | 'news'
  bytes: Buffer
  filename: string
  contentType: string
  /** Seconds since the epoch. */
  createdAt: number
  /** Permanent videos carry these from the upload's `description` part. */
  title?: string
  introduction?: string
  /** Permanent news (图文) material: its articles, seeded with `addNews`. */
  articles?: Array<Record<string, unknown>>
}

/** Temporary media live three days; permanent material until deleted. */
export interface MediaStore {
  readonly temporary: Map<string, StoredMedia>
  readonly permanent: Map<string, StoredMedia>
  /** A temporary medium, unless unknown or older than three days. */
  liveTemporary(mediaId: string): StoredMedia | undefined
  /** Any media id a message may use: live temporary or permanent. */
  usable(mediaId: string): StoredMedia | undefined
  add(kind: 'temporary' | 'permanent', media: Omit<StoredMedia, 'mediaId' | 'createdAt'>): StoredMedia
  /** News material, which WeChat no longer lets an API create (drafts replaced it). */
  addNews(articles: Array<Record<string, unknown>>): StoredMedia
}

const TEMPORARY_LIFETIME_S = 3 * 24 * 3600

export function createMediaStore (now: Clock): MediaStore {
  const temporary = new Map<string, StoredMedia>()
  const permanent = new Map<string, StoredMedia>()
  const seconds = (): number => Math.floor(now() / 1000)

  const store: MediaStore = {
    temporary,
    permanent,
    liveTemporary (mediaId) {
      const media = temporary.get(mediaId)
      return media !== undefined && seconds() - media.createdAt < TEMPORARY_LIFETIME_S ? media : undefined
    },
    usable: (mediaId) => store.liveTemporary(mediaId) ?? permanent.get(mediaId),
    add (kind, media) {
      // Media ids are 64 characters of WeChat's token alphabet.
      const stored: StoredMedia = { ...media, mediaId: randomId(48), createdAt: seconds() }
      ;(kind === 'temporary' ? temporary : permanent).set(stored.mediaId, stored)
      return stored
    },
    addNews: (articles) => store.add('permanent', { type: 'news', bytes: Buffer.alloc(0), filename: '', contentType: '', articles })
  }
  return store
}
