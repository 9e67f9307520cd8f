import type { FastifyInstance } from 'fastify'
import { OK, apiRoute, fail, utf8Bytes } from './api-route.js'
import type { Json } from './json.js'
import { openidPage, pageJson } from './openid-pages.js'
import type { PlatformState } from './platform-state.js'
import { ERR } from './wechat-errors.js'

const MAX_BATCH = 100
// The documents say "under 30 bytes"; in practice 30 bytes (10 Chinese characters) pass.
const MAX_REMARK_BYTES = 30

/** user/info as WeChat answers it since 2021-12-27: no nickname or avatar; unfollowed: two fields. */
function userInfo (state: PlatformState, openid: string): Json {
  const fan = state.fans.get(openid)
  if (fan === undefined) return { subscribe: 0, openid }
  const record = state.followers.of(openid)
  return {
    subscribe: 1,
    openid,
    language: 'zh_CN',
    subscribe_time: record.subscribeTime,
    ...(fan.unionid === undefined ? {} : { unionid: fan.unionid }),
    remark: record.remark,
    groupid: 0,
    tagid_list: record.tagIds,
    subscribe_scene: record.subscribeScene,
    qr_scene: record.qrScene,
    qr_scene_str: record.qrSceneStr
  }
}

/** Followers: user info (one, or up to 100), the follower list in pages of 10,000, remarks. */
export function registerFanRoutes (app: FastifyInstance, state: PlatformState): void {
  apiRoute(app, state, 'GET', '/cgi-bin/user/info', ({ query }) => {
    const openid = query('openid') ?? ''
    if (!state.fans.has(openid)) fail(ERR.invalidOpenid)
    return userInfo(state, openid)
  })

  apiRoute(app, state, 'POST', '/cgi-bin/user/info/batchget', ({ body }) => {
    const list = Array.isArray(body.user_list) ? body.user_list as Json[] : []
    if (list.length === 0 || list.length > MAX_BATCH) fail(ERR.invalidOpenidListSize)
    const openids = list.map((entry) => entry?.openid)
    if (!openids.every((openid) => typeof openid === 'string' && openid !== '')) fail(ERR.invalidOpenid)
    return { user_info_list: openids.map((openid) => userInfo(state, openid as string)) }
  })

  apiRoute(app, state, 'GET', '/cgi-bin/user/get', ({ query }) => {
    const page = openidPage([...state.fans.keys()], query('next_openid')) ?? fail(ERR.invalidOpenid)
    return { total: state.fans.size, ...pageJson(page) }
  })

  apiRoute(app, state, 'POST', '/cgi-bin/user/info/updateremark', ({ body }) => {
    const openid = typeof body.openid === 'string' ? body.openid : ''
    if (!state.fans.has(openid)) fail(ERR.invalidOpenid)
    if (typeof body.remark !== 'string' || utf8Bytes(body.remark) > MAX_REMARK_BYTES) fail(ERR.invalidRemark)
    state.followers.of(openid).remark = body.remark
    return OK
  })
}
