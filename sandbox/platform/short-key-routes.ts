import type { FastifyInstance } from 'fastify'
import { apiRoute, fail, utf8Bytes } from './api-route.js'
import type { PlatformState } from './platform-state.js'
import { ERR } from './wechat-errors.js'

const MAX_LONG_DATA_BYTES = 4096
const MAX_EXPIRE_SECONDS = 2_592_000

/** 短key托管: shorten/gen turns up to 4 KB into a 15-character key for 30 days at most; shorten/fetch turns it back. */
export function registerShortKeyRoutes (app: FastifyInstance, state: PlatformState): void {
  apiRoute(app, state, 'POST', '/cgi-bin/shorten/gen', ({ body }) => {
    const longData = typeof body.long_data === 'string' && body.long_data !== '' ? body.long_data : fail(ERR.argumentInvalid)
    if (utf8Bytes(longData) > MAX_LONG_DATA_BYTES) fail(ERR.longDataTooLong)
    const expireSeconds = body.expire_seconds === undefined ? MAX_EXPIRE_SECONDS : Number(body.expire_seconds)
    if (!Number.isInteger(expireSeconds) || expireSeconds <= 0 || expireSeconds > MAX_EXPIRE_SECONDS) fail(ERR.expireTooLong)
    return { errcode: 0, errmsg: 'ok', short_key: state.shortKeys.create(longData, expireSeconds).shortKey }
  })

  apiRoute(app, state, 'POST', '/cgi-bin/shorten/fetch', ({ body }) => {
    const stored = state.shortKeys.live(String(body.short_key)) ?? fail(ERR.shortKeyNotFound)
    const remaining = stored.createTime + stored.expireSeconds - Math.floor(state.now() / 1000)
    return { errcode: 0, errmsg: 'ok', long_data: stored.longData, create_time: stored.createTime, expire_seconds: remaining }
  })
}
