import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { PlatformState } from './platform-state.js'
import { queryParam, sendError, sendJson } from './wechat-reply.js'
import { ERR } from './wechat-errors.js'
import type { WeChatErrorBody } from './wechat-errors.js'
import type { Json } from './json.js'

/** Thrown by a handler to answer with WeChat's error instead. */
export class WeChatFailure extends Error {
  constructor (readonly body: WeChatErrorBody) {
    super(body.errmsg)
  }
}

export function fail (body: WeChatErrorBody): never {
  throw new WeChatFailure(body)
}

export const OK = { errcode: 0, errmsg: 'ok' } as const

/** An account without customer-service rights (an unverified 订阅号) is refused that whole API group, before its body is read. */
function customerServiceRight (state: PlatformState, path: string, token: string): WeChatErrorBody | undefined {
  const appId = state.credentials.appOf(token)
  return path.startsWith('/cgi-bin/message/custom/') && appId !== undefined && state.withoutCustomerService.has(appId) ? ERR.apiUnauthorized : undefined
}

export interface ApiInput {
  request: FastifyRequest
  reply: FastifyReply
  /** The JSON body of a POST; `{}` for a GET. */
  body: Json
  /** The account the access_token was issued to. */
  appId: string
  query(name: string): string | undefined
}

/** A handler's answer: a JSON object, or the reply it has sent itself (files). */
export type ApiHandler = (input: ApiInput) => Json | FastifyReply | Promise<Json | FastifyReply>

/** GET; POST with a JSON body; UPLOAD: a POST whose multipart body the handler reads itself. */
export type ApiMethod = 'GET' | 'POST' | 'UPLOAD'

/**
 * A route that takes the access_token, as every management API does: the token is checked,
 * then the API's permission and quota (48001, 45009), then a POST's body must be a JSON
 * object (44002 when empty, 47001 when not JSON). Handlers `fail(ERR.…)` for WeChat's errors.
 */
export function apiRoute (app: FastifyInstance, state: PlatformState, method: ApiMethod, path: string, handler: ApiHandler): void {
  app.route({
    method: method === 'GET' ? 'GET' : 'POST',
    url: path,
    handler: async (request, reply) => {
      const token = queryParam(request, 'access_token')
      const error = state.credentials.check(token) ?? state.limits.admit(path) ?? customerServiceRight(state, path, token as string)
      if (error !== undefined) return sendError(reply, error)
      try {
        const body = method === 'POST' ? readJsonBody(request.body) : {}
        // A reply is a thenable: awaiting a handler that sent one resolves to no reply object,
        // so whether it answered itself is told by the reply, not by what came back.
        const appId = state.credentials.appOf(queryParam(request, 'access_token') as string) as string
        const answer = await handler({ request, reply, body, appId, query: (name) => queryParam(request, name) })
        return reply.sent ? reply : sendJson(reply, answer as Json)
      } catch (failure) {
        if (failure instanceof WeChatFailure) return sendError(reply, failure.body)
        throw failure
      }
    }
  })
}

function readJsonBody (raw: unknown): Json {
  if (typeof raw !== 'string') return fail(ERR.dataFormat)
  if (raw.trim() === '') return fail(ERR.emptyPostData)
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return fail(ERR.dataFormat)
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed as Json : fail(ERR.dataFormat)
}

export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8')
