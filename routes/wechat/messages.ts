import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Bot } from '../../src/bot/bot.js'
import type { Config } from '../../src/config.js'
import { openEnvelope, sealReply, type EnvelopeSecrets } from '../../src/protocol/envelope.js'
import { toInboundPush } from '../../src/protocol/inbound-push.js'
import { NO_REPLY } from '../../src/protocol/reply.js'
import type { XmlFields } from '../../src/protocol/xml-codec.js'
import { answerPush } from '../../src/inbound/answer-push.js'
import { answerOnce, pushIdentity } from '../../src/inbound/exactly-once.js'
import { deliverLateReply } from '../../src/inbound/late-reply.js'
import { isBodySwap } from '../../src/inbound/replay-guard.js'
import type { Store } from '../../src/store/store.js'

export interface MessagesRouteOptions {
  config: Config
  bot: Bot
  secrets: EnvelopeSecrets
  /** Dedup state: the shared store, falling back to local memory when it fails. */
  dedupStore: Store
}

const REPLY_TTL_MS = 60_000
const nowSeconds = () => Math.floor(Date.now() / 1000)

/**
 * Every message and event WeChat pushes, one path: envelope (plain or AES) → typed push →
 * exactly-once claim → bot → reply (sealed again in safe mode).
 */
export function messagesRoute (app: FastifyInstance, { config, bot, secrets, dedupStore }: MessagesRouteOptions): void {
  app.post('/wechat', async (request, reply) => {
    const signed = request.signedQuery!
    const query = request.query as Record<string, unknown>
    const envelope = openEnvelope(request.body as XmlFields, {
      timestamp: signed.timestamp, nonce: signed.nonce, encryptType: query.encrypt_type, msgSignature: query.msg_signature
    }, config.messageMode, secrets)
    if (!envelope.ok) {
      if (envelope.refusal === 'forbidden') app.metrics.signatureFailures.inc()
      return refuse(reply, envelope.refusal === 'forbidden' ? 403 : 400, envelope.reason)
    }
    const result = toInboundPush(envelope.fields)
    if (!result.ok) return refuse(reply, 400, `invalid field: ${result.field}`)
    const { push } = result
    const { message } = push
    if (envelope.sealed && envelope.outerMismatch) request.log.warn({ pushType: push.type }, 'compatible-mode plaintext fields differ from the encrypted ones; using the encrypted')
    const misaddressed = (query.openid !== undefined && query.openid !== message.FromUserName) ||
      (config.accountId !== undefined && config.accountId !== message.ToUserName)
    if (misaddressed) return refuse(reply, 400, 'push identity mismatch')
    if (!envelope.sealed && config.signatureMaxAgeSeconds > 0 &&
      await isBodySwap(dedupStore, signed.signature, envelope.fields, config.signatureMaxAgeSeconds * 2000)) {
      app.metrics.signatureFailures.inc()
      return refuse(reply, 403, 'signature reused with another body')
    }

    app.metrics.messagesReceived.inc({ type: push.type })
    request.log.info({ pushKind: push.kind, pushType: push.type }, 'push received')
    let outcome
    try {
      outcome = await answerOnce(pushIdentity(config.appId, push), async () => {
        app.metrics.messagesHandled.inc()
        const stop = app.metrics.handlerSeconds.startTimer()
        try {
          return await answerPush(push, {
            bot,
            log: request.log,
            nowSeconds,
            deadlineMs: config.replyDeadlineMs,
            late: async (late) => await deliverLateReply(message.FromUserName, late, {
              send: app.wechatApi.sendCustomText,
              log: request.log
            })
          })
        } finally {
          stop()
        }
      }, { store: dedupStore, replyTtlMs: REPLY_TTL_MS, claimTtlMs: 30_000, waitMs: config.replyDeadlineMs, pollMs: 25 })
    } catch (err) {
      // Not `success`: WeChat retries a failed push, and the released claim lets the retry run.
      request.log.error({ err, pushType: push.type }, 'handler failed')
      return reply.code(503).type('text/plain; charset=utf-8').send('handler failed')
    }
    if (outcome.status === 'busy') {
      request.log.warn({ pushType: push.type }, 'retry arrived while the first delivery is still running')
      return reply.code(503).type('text/plain; charset=utf-8').send('still processing')
    }
    if (outcome.status === 'duplicate') {
      app.metrics.messagesDuplicate.inc()
      request.log.info({ pushType: push.type }, 'duplicate delivery answered from the first one')
    }
    const answer = outcome.answer
    if (answer === NO_REPLY) return reply.type('text/plain; charset=utf-8').send(answer)
    const body = envelope.sealed ? sealReply(answer, secrets, envelope.keyIndex, signed.nonce, nowSeconds()) : answer
    return reply.type('application/xml; charset=utf-8').send(body)
  })
}

function refuse (reply: FastifyReply, status: 400 | 403, reason: string): FastifyReply {
  reply.request.log.warn({ status, reason }, 'push refused')
  return reply.code(status).type('text/plain; charset=utf-8').send(reason)
}
