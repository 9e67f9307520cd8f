import { Type, type Static } from '@sinclair/typebox'
import { answerReader, refuse } from './answer-schema.js'
import { readOpenidPage, walkOpenids } from './openid-pages.js'
import type { OpenidPage } from './openid-pages.js'
import type { CallWithToken } from './token-call.js'

export const TAG_PATHS = {
  create: '/cgi-bin/tags/create',
  list: '/cgi-bin/tags/get',
  update: '/cgi-bin/tags/update',
  delete: '/cgi-bin/tags/delete',
  tag: '/cgi-bin/tags/members/batchtagging',
  untag: '/cgi-bin/tags/members/batchuntagging',
  ofFan: '/cgi-bin/tags/getidlist',
  fans: '/cgi-bin/user/tag/get'
} as const

/** A tag name has up to 30 characters; one call tags or untags up to 50 fans. */
export const TAG_LIMITS = { nameCharacters: 30, batch: 50 } as const

const Tag = Type.Object({ id: Type.Integer(), name: Type.String() })
const readCreated = answerReader(Type.Object({ tag: Tag }))
const readList = answerReader(Type.Object({ tags: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), count: Type.Integer() })) }))
const readIds = answerReader(Type.Object({ tagid_list: Type.Array(Type.Integer()) }))

export type Tag = Static<typeof Tag>
export type TagWithCount = Tag & { count: number }

export interface TagApi {
  create(name: string): Promise<Tag>
  list(): Promise<TagWithCount[]>
  rename(id: number, name: string): Promise<void>
  delete(id: number): Promise<void>
  tagFans(id: number, openids: string[]): Promise<void>
  untagFans(id: number, openids: string[]): Promise<void>
  /** The ids of a fan's tags. */
  ofFan(openid: string): Promise<number[]>
  /** One page of a tag's fans after `nextOpenid` ('' for the first). */
  fansPage(id: number, nextOpenid?: string): Promise<OpenidPage>
  /** Every fan with the tag, page after page. */
  fans(id: number): AsyncGenerator<string, void, undefined>
}

function checkName (path: string, name: string): void {
  const length = [...name].length
  if (length < 1 || length > TAG_LIMITS.nameCharacters) refuse(path, `a tag name has 1 to ${TAG_LIMITS.nameCharacters} characters`)
}

function checkBatch (path: string, openids: string[]): void {
  if (openids.length < 1 || openids.length > TAG_LIMITS.batch) refuse(path, `1 to ${TAG_LIMITS.batch} openids a call`)
}

export function createTagApi (callWithToken: CallWithToken): TagApi {
  async function fansPage (id: number, nextOpenid = ''): Promise<OpenidPage> {
    const json = await callWithToken(TAG_PATHS.fans, { method: 'POST', body: { tagid: id, next_openid: nextOpenid } })
    return readOpenidPage(json, TAG_PATHS.fans)
  }
  return {
    async create (name) {
      checkName(TAG_PATHS.create, name)
      return readCreated(await callWithToken(TAG_PATHS.create, { method: 'POST', body: { tag: { name } } }), TAG_PATHS.create).tag
    },
    async list () {
      return readList(await callWithToken(TAG_PATHS.list, { method: 'GET' }), TAG_PATHS.list).tags
    },
    async rename (id, name) {
      checkName(TAG_PATHS.update, name)
      await callWithToken(TAG_PATHS.update, { method: 'POST', body: { tag: { id, name } } })
    },
    async delete (id) {
      await callWithToken(TAG_PATHS.delete, { method: 'POST', body: { tag: { id } } })
    },
    async tagFans (id, openids) {
      checkBatch(TAG_PATHS.tag, openids)
      await callWithToken(TAG_PATHS.tag, { method: 'POST', body: { openid_list: openids, tagid: id } })
    },
    async untagFans (id, openids) {
      checkBatch(TAG_PATHS.untag, openids)
      await callWithToken(TAG_PATHS.untag, { method: 'POST', body: { openid_list: openids, tagid: id } })
    },
    async ofFan (openid) {
      return readIds(await callWithToken(TAG_PATHS.ofFan, { method: 'POST', body: { openid } }), TAG_PATHS.ofFan).tagid_list
    },
    fansPage,
    fans: (id) => walkOpenids(async (next) => await fansPage(id, next))
  }
}
