import type { FastifyInstance } from 'fastify'
import { sendRefusal } from '../../plugins/wechat-signature.js'
import type { PushPipeline } from '../../src/inbound/push-pipeline.js'
import type { XmlFields } from '../../src/protocol/xml-codec.js'

const TEXT = 'text/plain; charset=utf-8'

/** Every message and event WeChat pushes: the pipeline decides, this maps its outcome to HTTP. */
export function messagesRoute (app: FastifyInstance, path: string, pipeline: PushPipeline): void {
  app.post(path, async (request, reply) => {
    const { account, query } = request.push!
    // Set by the signature hook, which let this request through.
    const access = request.access!
    const outcome = await pipeline.handle(account, query, request.body as XmlFields, request.log, access)
    switch (outcome.kind) {
      case 'refused':
        return sendRefusal(reply, outcome.refusal, outcome.reason)
      case 'failed':
        access.outcome = 'failed'
        return reply.code(503).type(TEXT).send('handler failed')
      case 'busy':
        access.outcome = 'busy'
        request.log.warn('retry arrived while the first delivery is still running')
        return reply.code(503).type(TEXT).send('still processing')
      case 'no-reply':
      case 'answered':
        access.outcome = outcome.duplicate ? 'duplicate' : outcome.late ? 'late' : outcome.kind
        return outcome.kind === 'no-reply' ? reply.type(TEXT).send('success') : reply.type('application/xml; charset=utf-8').send(outcome.xml)
    }
  })
}
