import type { FastifyInstance } from 'fastify'
import { OK, apiRoute, fail } from './api-route.js'
import type { Json } from './json.js'
import { openidPage, pageJson } from './openid-pages.js'
import type { PlatformState } from './platform-state.js'
import { ERR } from './wechat-errors.js'

const MAX_BATCH = 20

/** The blacklist: list it in pages, add and remove up to 20 fans at a time. */
export function registerBlacklistRoutes (app: FastifyInstance, state: PlatformState): void {
  const blacklisted = (): string[] => [...state.fans.keys()].filter((openid) => state.followers.of(openid).blacklisted)

  function setBlacklisted (body: Json, value: boolean): Json {
    const openids = Array.isArray(body.openid_list) ? body.openid_list as unknown[] : []
    if (openids.length === 0 || openids.length > MAX_BATCH) fail(ERR.invalidOpenidListSize)
    if (!openids.every((openid) => typeof openid === 'string' && state.fans.has(openid))) fail(ERR.invalidOpenid)
    for (const openid of openids as string[]) state.followers.of(openid).blacklisted = value
    return OK
  }

  apiRoute(app, state, 'POST', '/cgi-bin/tags/members/getblacklist', ({ body }) => {
    const all = blacklisted()
    const page = openidPage(all, typeof body.begin_openid === 'string' ? body.begin_openid : undefined) ?? fail(ERR.invalidOpenid)
    return { total: all.length, ...pageJson(page) }
  })

  apiRoute(app, state, 'POST', '/cgi-bin/tags/members/batchblacklist', ({ body }) => setBlacklisted(body, true))
  apiRoute(app, state, 'POST', '/cgi-bin/tags/members/batchunblacklist', ({ body }) => setBlacklisted(body, false))
}
