import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'

/**
 * Waits until /readyz answers 200, as a load balancer would before sending traffic: the Redis
 * store has no offline queue, so commands sent before its first connect fall back to memory.
 */
export async function untilReady (app: FastifyInstance, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const res = await app.inject({ method: 'GET', url: '/readyz' })
    if (res.statusCode === 200) return
    if (Date.now() > deadline) throw new Error(`/readyz still ${res.statusCode} after ${timeoutMs} ms`)
    await sleep(25)
  }
}
