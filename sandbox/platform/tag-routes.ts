import type { FastifyInstance } from 'fastify'
import { OK, apiRoute, fail } from './api-route.js'
import type { Json } from './json.js'
import { openidPage, pageJson } from './openid-pages.js'
import type { PlatformState } from './platform-state.js'
import { ERR } from './wechat-errors.js'

const MAX_TAGS = 100
const MAX_NAME_CHARACTERS = 30
const MAX_TAGS_PER_FAN = 20
const MAX_BATCH = 50
// WeChat keeps a tag with this many fans from being deleted: untag them first.
const MAX_FANS_TO_DELETE = 100_000

/** Fan tags: create, list, update, delete, tag and untag fans, a fan's tags, a tag's fans. */
export function registerTagRoutes (app: FastifyInstance, state: PlatformState): void {
  const { tags } = state
  const fansWith = (id: number): string[] => [...state.fans.keys()].filter((openid) => state.followers.of(openid).tagIds.includes(id))

  function validName (name: unknown, except?: number): string {
    if (typeof name !== 'string' || name === '') fail(ERR.tagNameExists)
    if ([...name].length > MAX_NAME_CHARACTERS) fail(ERR.tagNameTooLong)
    if ([...tags.tags.values()].some((tag) => tag.name === name && tag.id !== except)) fail(ERR.tagNameExists)
    return name
  }
  function ownTag (tag: unknown): number {
    const id = Number((tag as Json | undefined)?.id)
    if (tags.isSystem(id)) fail(ERR.systemTag)
    if (!tags.tags.has(id)) fail(ERR.invalidTagId)
    return id
  }
  function batch (body: Json): { id: number, openids: string[] } {
    const openids = Array.isArray(body.openid_list) ? body.openid_list as unknown[] : []
    if (openids.length === 0 || openids.length > MAX_BATCH) fail(ERR.invalidOpenidListSize)
    if (!openids.every((openid) => typeof openid === 'string' && state.fans.has(openid))) fail(ERR.invalidOpenid)
    const id = Number(body.tagid)
    if (!tags.tags.has(id)) fail(ERR.invalidTagId)
    return { id, openids: openids as string[] }
  }

  apiRoute(app, state, 'POST', '/cgi-bin/tags/create', ({ body }) => {
    const name = validName((body.tag as Json | undefined)?.name)
    if ([...tags.tags.keys()].filter((id) => !tags.isSystem(id)).length >= MAX_TAGS) fail(ERR.tooManyTags)
    const tag = tags.create(name)
    return { tag: { id: tag.id, name: tag.name } }
  })

  apiRoute(app, state, 'GET', '/cgi-bin/tags/get', () =>
    ({ tags: [...tags.tags.values()].map((tag) => ({ id: tag.id, name: tag.name, count: fansWith(tag.id).length })) }))

  apiRoute(app, state, 'POST', '/cgi-bin/tags/update', ({ body }) => {
    const id = ownTag(body.tag)
    const name = validName((body.tag as Json).name, id)
    tags.tags.set(id, { id, name })
    return OK
  })

  apiRoute(app, state, 'POST', '/cgi-bin/tags/delete', ({ body }) => {
    const id = ownTag(body.tag)
    const fans = fansWith(id)
    if (fans.length > MAX_FANS_TO_DELETE) fail(ERR.tagHasTooManyFans)
    for (const openid of fans) {
      const record = state.followers.of(openid)
      record.tagIds = record.tagIds.filter((tagId) => tagId !== id)
    }
    tags.tags.delete(id)
    return OK
  })

  apiRoute(app, state, 'POST', '/cgi-bin/tags/members/batchtagging', ({ body }) => {
    const { id, openids } = batch(body)
    const records = openids.map((openid) => state.followers.of(openid))
    if (records.some((record) => !record.tagIds.includes(id) && record.tagIds.length >= MAX_TAGS_PER_FAN)) fail(ERR.fanHasTooManyTags)
    for (const record of records) {
      // Tagging again moves the tag last: menus match a fan's latest tag.
      record.tagIds = [...record.tagIds.filter((tagId) => tagId !== id), id]
    }
    return OK
  })

  apiRoute(app, state, 'POST', '/cgi-bin/tags/members/batchuntagging', ({ body }) => {
    const { id, openids } = batch(body)
    for (const openid of openids) {
      const record = state.followers.of(openid)
      record.tagIds = record.tagIds.filter((tagId) => tagId !== id)
    }
    return OK
  })

  apiRoute(app, state, 'POST', '/cgi-bin/tags/getidlist', ({ body }) => {
    const openid = typeof body.openid === 'string' ? body.openid : ''
    if (!state.fans.has(openid)) fail(ERR.invalidOpenid)
    return { tagid_list: state.followers.of(openid).tagIds }
  })

  apiRoute(app, state, 'POST', '/cgi-bin/user/tag/get', ({ body }) => {
    const id = Number(body.tagid)
    if (!tags.tags.has(id)) fail(ERR.invalidTagId)
    const page = openidPage(fansWith(id), typeof body.next_openid === 'string' ? body.next_openid : undefined) ?? fail(ERR.invalidOpenid)
    return pageJson(page)
  })
}
