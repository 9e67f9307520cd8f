import type { FastifyPluginAsync } from 'fastify'

/** Liveness (/healthz: the process answers) and readiness (/readyz: its shared store answers). */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/readyz', async (_request, reply) => {
    const ready = await app.storeReady()
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'store unavailable' })
  })
}
