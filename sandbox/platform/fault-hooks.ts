import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { PlatformState } from './platform-state.js'
import { sendError } from './wechat-reply.js'

/**
 * Counts every request per path and applies the next queued fault for it: an errcode answer,
 * an HTML page or arbitrary body instead of JSON (or a body with no headers at all), a delay
 * before the real answer (cut short when the client gives up), or the real answer cut in half.
 */
export function installFaultHooks (app: FastifyInstance, state: PlatformState): void {
  const truncated = new WeakSet<FastifyRequest>()

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0] as string
    state.countCall(path)
    const fault = state.faults.take(path)
    if (fault === undefined) return
    if ('errcode' in fault) return sendError(reply, fault)
    if ('html' in fault) return reply.code(200).type('text/html; charset=utf-8').send(fault.html)
    if ('body' in fault) return reply.code(200).type(fault.contentType ?? 'text/plain').send(fault.body)
    if ('bare' in fault) {
      reply.hijack()
      reply.raw.writeHead(200, { 'content-length': Buffer.byteLength(fault.bare) }).end(fault.bare)
      return reply
    }
    if ('truncate' in fault) {
      truncated.add(request)
      return
    }
    const gone = new AbortController()
    reply.raw.once('close', () => { gone.abort() })
    try {
      await sleep(fault.delayMs, undefined, { signal: gone.signal })
    } catch {
      // The client hung up during the delay: nothing left to answer.
      return reply.hijack()
    }
  })

  app.addHook('onSend', async (request, _reply, payload) => {
    if (!truncated.has(request)) return payload
    // Every route of this fake sends a string.
    const text = payload as string
    return text.slice(0, Math.floor(text.length / 2))
  })
}
