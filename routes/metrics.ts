import { timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'

export interface MetricsRouteOptions {
  /** When set, scrapers must send `Authorization: Bearer <token>`. */
  token?: string | undefined
}

export const metricsRoutes: FastifyPluginAsync<MetricsRouteOptions> = async (app, { token }) => {
  app.get('/metrics', async (request, reply) => {
    if (token !== undefined && !bearerMatches(request.headers.authorization, token)) {
      request.log.warn('metrics scrape without a valid bearer token')
      return reply.code(401).header('www-authenticate', 'Bearer').type('text/plain; charset=utf-8').send('unauthorized')
    }
    return reply.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics())
  })
}

function bearerMatches (header: string | undefined, token: string): boolean {
  const expected = Buffer.from(`Bearer ${token}`)
  const given = Buffer.from(header ?? '')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
