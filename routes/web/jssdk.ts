import { randomBytes } from 'node:crypto'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../../src/config.js'
import { jssdkSignature } from '../../src/wechat-api/jssdk-signature.js'

const JssdkQuery = Type.Object({ url: Type.String({ minLength: 1, maxLength: 2048 }) })

/**
 * `GET <base>/jssdk/config?url=…`: the values a page passes to `wx.config`, with the account's
 * own AppID and jsapi_ticket. Only pages on PUBLIC_URL's origin get a signature: the account's
 * JS-SDK domain is ours alone.
 */
export function jssdkRoutes (app: FastifyInstance, config: Config): void {
  const origin = new URL(config.publicUrl).origin
  app.withTypeProvider<TypeBoxTypeProvider>().get('/jssdk/config', { schema: { querystring: JssdkQuery }, config: { webRateLimit: 'json' } }, async (request, reply) => {
    const { account } = request.web!
    const pageUrl = pageOnOrigin(request.query.url, origin)
    if (pageUrl === undefined) {
      request.log.warn('JS-SDK config asked for a page outside PUBLIC_URL')
      return reply.code(400).type('text/plain; charset=utf-8').send('url must be a page on PUBLIC_URL')
    }
    let jsapiTicket: string
    try {
      jsapiTicket = await account.api.jsapiTicket()
    } catch (error) {
      request.log.warn({ code: (error as { code?: unknown }).code }, 'jsapi_ticket unavailable')
      return reply.code(502).type('text/plain; charset=utf-8').send('WeChat is unavailable; try again')
    }
    const nonceStr = randomBytes(12).toString('hex')
    const timestamp = Math.floor(Date.now() / 1000)
    reply.header('cache-control', 'no-store')
    return { appId: account.settings.appId, timestamp, nonceStr, signature: jssdkSignature({ jsapiTicket, nonceStr, timestamp, url: pageUrl }) }
  })
}

/** The URL without its fragment when it is an absolute http(s) URL on `origin`. */
function pageOnOrigin (raw: string, origin: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    return undefined
  }
  if (parsed.origin !== origin || parsed.username !== '' || parsed.password !== '') return undefined
  const hash = raw.indexOf('#')
  return hash === -1 ? raw : raw.slice(0, hash)
}
