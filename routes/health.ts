import type { FastifyPluginAsync } from 'fastify'

/** Liveness: the process answers. (Readiness of shared dependencies is /readyz.) */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', async () => ({ status: 'ok' }))
}
