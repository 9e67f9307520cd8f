import fp from 'fastify-plugin'
import { checkSignedQuery, type SignedQuery } from '../src/protocol/signed-query.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified signature, timestamp and nonce of a request to the server URL. */
    signedQuery: SignedQuery | null
  }
}

export interface WeChatSignatureOptions {
  token: string
  maxAgeSeconds: number
  nowSeconds?: () => number
  /** Counts refusals (metrics) without this plugin knowing the metrics. */
  onFailure?: () => void
}

/**
 * Verifies WeChat's query signature on every request of the scope it is registered in. It runs
 * at onRequest, before the body is read, so an unsigned upload costs nothing.
 */
export const wechatSignature = fp<WeChatSignatureOptions>(async (app, options) => {
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000))
  app.decorateRequest('signedQuery', null)
  // Callback style: no promise per request on the hottest path of the service.
  app.addHook('onRequest', (request, reply, done) => {
    const check = checkSignedQuery(request.query, { token: options.token, maxAgeSeconds: options.maxAgeSeconds, nowSeconds: nowSeconds() })
    if (check.ok) {
      request.signedQuery = check.query
      done()
      return
    }
    options.onFailure?.()
    request.log.warn({ reason: check.reason }, 'refused a request to the server URL')
    reply.code(check.status).type('text/plain; charset=utf-8').send(check.reason)
  })
}, { name: 'wechat-signature', fastify: '5.x' })
