import { getHeapStatistics } from 'node:v8'
import underPressure from '@fastify/under-pressure'
import type { FastifyPluginAsync } from 'fastify'

export interface HealthOptions {
  /** Mean event-loop delay (ms) above which /readyz says 503; 0: not checked. */
  maxEventLoopDelayMs: number
  /** Share of V8's heap limit (%) above which /readyz says 503; 0: not checked. */
  maxHeapPercent: number
}

/** How long the proxy should leave a busy instance alone before asking again. */
const RETRY_AFTER_SECONDS = 10

/** The heap threshold in bytes: `percent` of this process's heap limit (--max-old-space-size included). */
export function heapThresholdBytes (percent: number): number {
  return Math.floor(getHeapStatistics().heap_size_limit * percent / 100)
}

/**
 * Liveness (/healthz: the process answers) and readiness (/readyz: its shared store answers and
 * the instance is not saturated). Only /readyz sits in under-pressure's scope: a busy instance
 * keeps answering pushes, pages and /healthz (restarting it would lose its work), while the
 * proxy stops sending it new traffic.
 */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, options) => {
  app.get('/healthz', async () => ({ status: 'ok' }))
  await app.register(async (readiness) => {
    await readiness.register(underPressure, {
      maxEventLoopDelay: options.maxEventLoopDelayMs,
      maxHeapUsedBytes: heapThresholdBytes(options.maxHeapPercent),
      // Answering here is what stops the route from running (under-pressure's documented way).
      pressureHandler: (request, reply, type, value) => {
        request.log.warn({ reason: type, value: Math.round(Number(value)) }, 'not ready: under pressure')
        void reply.code(503).header('retry-after', RETRY_AFTER_SECONDS).send({ status: 'under pressure', reason: type })
      }
    })
    readiness.get('/readyz', async (_request, reply) => {
      const ready = await app.storeReady()
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'store unavailable' })
    })
  })
}
