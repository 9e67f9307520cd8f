import type { FastifyReply, FastifyRequest } from 'fastify'
import { withRid } from './random-id.js'
import type { WeChatErrorBody } from './wechat-errors.js'

// What api.weixin.qq.com labels its answers with: errors and all of /sns/* come as text/plain.
const JSON_TYPE = 'application/json; encoding=utf-8'
const TEXT_TYPE = 'text/plain'

export function sendError (reply: FastifyReply, error: WeChatErrorBody): FastifyReply {
  return reply.code(200).type(TEXT_TYPE).send(JSON.stringify({ errcode: error.errcode, errmsg: withRid(error.errmsg) }))
}

export function sendJson (reply: FastifyReply, body: Record<string, unknown>, options: { textPlain?: boolean } = {}): FastifyReply {
  return reply.code(200).type(options.textPlain === true ? TEXT_TYPE : JSON_TYPE).send(JSON.stringify(body))
}

/** One query parameter; repeated or absent parameters count as absent. */
export function queryParam (request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[name]
  return typeof value === 'string' ? value : undefined
}

/** The raw body as a JSON object, or undefined when it is not one (WeChat answers 47001). */
export function jsonBody (request: FastifyRequest): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(String(request.body ?? ''))
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}
