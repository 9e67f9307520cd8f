import type { FastifyInstance } from 'fastify'
import type { PlatformState } from './platform-state.js'
import { jsonBody, queryParam, sendError, sendJson } from './wechat-reply.js'
import { ERR } from './wechat-errors.js'
import type { WeChatErrorBody } from './wechat-errors.js'

function credentialError (state: PlatformState, grantType: unknown, appid: unknown, secret: unknown): WeChatErrorBody | undefined {
  if (grantType !== 'client_credential') return ERR.invalidGrantType
  const appSecret = typeof appid === 'string' ? state.apps.get(appid) : undefined
  if (appSecret === undefined) return ERR.invalidAppid
  if (secret !== appSecret) return ERR.invalidAppsecret
  return undefined
}

/** access_token (classic and stable, isolated from each other) and jsapi_ticket. */
export function registerTokenRoutes (app: FastifyInstance, state: PlatformState): void {
  app.get('/cgi-bin/token', async (request, reply) => {
    const error = credentialError(state, queryParam(request, 'grant_type'), queryParam(request, 'appid'), queryParam(request, 'secret'))
    if (error !== undefined) return sendError(reply, error)
    const issued = state.credentials.issueClassic(queryParam(request, 'appid') as string)
    return sendJson(reply, { access_token: issued.value, expires_in: issued.expiresIn })
  })

  app.post('/cgi-bin/stable_token', async (request, reply) => {
    const body = jsonBody(request)
    if (body === undefined) return sendError(reply, ERR.dataFormat)
    const error = credentialError(state, body.grant_type, body.appid, body.secret)
    if (error !== undefined) return sendError(reply, error)
    const issued = state.credentials.issueStable(body.appid as string, body.force_refresh === true)
    return sendJson(reply, { access_token: issued.value, expires_in: issued.expiresIn })
  })

  app.get('/cgi-bin/ticket/getticket', async (request, reply) => {
    const token = queryParam(request, 'access_token')
    const error = state.credentials.check(token)
    if (error !== undefined) return sendError(reply, error)
    const type = queryParam(request, 'type')
    if (type !== 'jsapi' && type !== 'wx_card') return sendError(reply, ERR.invalidArgs)
    const issued = state.credentials.issueTicket(state.credentials.appOf(token as string) as string)
    return sendJson(reply, { errcode: 0, errmsg: 'ok', ticket: issued.value, expires_in: issued.expiresIn })
  })
}
