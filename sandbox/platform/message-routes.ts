import type { FastifyInstance } from 'fastify'
import type { PlatformState } from './platform-state.js'
import { jsonBody, queryParam, sendError, sendJson } from './wechat-reply.js'
import { ERR } from './wechat-errors.js'

/**
 * Customer-service messages, recorded in `state.messages` for tests and the sandbox console;
 * 48001 for an account in `state.withoutCustomerService`.
 */
export function registerMessageRoutes (app: FastifyInstance, state: PlatformState): void {
  app.post('/cgi-bin/message/custom/send', async (request, reply) => {
    const token = queryParam(request, 'access_token')
    const error = state.credentials.check(token)
    if (error !== undefined) return sendError(reply, error)
    const appId = state.credentials.appOf(token as string) as string
    // An unverified subscription account (订阅号) has no customer-service rights.
    if (state.withoutCustomerService.has(appId)) return sendError(reply, ERR.apiUnauthorized)
    const body = jsonBody(request)
    if (body === undefined) return sendError(reply, ERR.dataFormat)
    const fan = typeof body.touser === 'string' ? state.fans.get(body.touser) : undefined
    if (fan === undefined) return sendError(reply, ERR.invalidOpenid)
    const msgtype = typeof body.msgtype === 'string' ? body.msgtype : ''
    const content = (body.text as { content?: unknown } | undefined)?.content
    if (msgtype === 'text' && (typeof content !== 'string' || content === '')) return sendError(reply, ERR.emptyContent)
    if (fan.outsideWindow) return sendError(reply, ERR.outOfTimeLimit)
    state.messages.push({ appId, touser: fan.openid, msgtype, ...(typeof content === 'string' ? { content } : {}), body, at: state.now() })
    return sendJson(reply, { errcode: 0, errmsg: 'ok' })
  })
}
