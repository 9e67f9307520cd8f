import type { FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import type { Account } from '../src/accounts/account.js'
import { DEFAULT_ACCOUNT } from '../src/accounts/account-settings.js'
import type { PushPipeline } from '../src/inbound/push-pipeline.js'
import type { PushQuery, Refusal } from '../src/protocol/signed-query.js'
import { accessDetails } from './access-log.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The account whose server URL this request came to, and its checked query. */
    push: { account: Account, query: PushQuery } | null
  }
}

export interface WeChatSignatureOptions {
  /** The account a request is for: `/wechat/:account`, or `default` at `/wechat`. */
  account: (id: string) => Account | undefined
  pipeline: PushPipeline
}

export const REFUSAL_STATUS: Record<Refusal, 400 | 403> = { 'bad-request': 400, forbidden: 403 }

export function sendRefusal (reply: FastifyReply, refusal: Refusal, reason: string): FastifyReply {
  const status = REFUSAL_STATUS[refusal]
  reply.request.log.warn({ status, reason }, 'push refused')
  // The callback-address check refuses before the signature hook has named the account.
  const access = reply.request.access ??= accessDetails()
  access.outcome = 'refused'
  access.reason = reason
  return reply.code(status).type('text/plain; charset=utf-8').send(reason)
}

/**
 * Finds the account and verifies WeChat's query signature on every request of the scope it is
 * registered in. It runs at onRequest, before the body is read, so an unsigned upload costs nothing.
 */
export const wechatSignature = fp<WeChatSignatureOptions>(async (app, options) => {
  app.decorateRequest('push', null)
  // Callback style: no promise per request on the hottest path of the service.
  app.addHook('onRequest', (request, reply, done) => {
    const id = (request.params as { account?: string }).account ?? DEFAULT_ACCOUNT
    const account = options.account(id)
    if (account === undefined) {
      request.access = { ...accessDetails(), outcome: 'refused', reason: 'no such account' }
      reply.code(404).type('text/plain; charset=utf-8').send('not found')
      return
    }
    request.access = accessDetails(account.id)
    const check = options.pipeline.checkQuery(account, request.query)
    if (!check.ok) {
      sendRefusal(reply, check.refusal, check.reason)
      return
    }
    request.push = { account, query: check.query }
    done()
  })
}, { name: 'wechat-signature', fastify: '5.x', dependencies: ['wemp-access-log'] })
