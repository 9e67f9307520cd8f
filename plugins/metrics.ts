import fp from 'fastify-plugin'
import { createMetrics, type Metrics } from '../src/metrics.js'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics
  }
}

export const metricsPlugin = fp(async (app) => {
  app.decorate('metrics', createMetrics())
}, { name: 'wemp-metrics', fastify: '5.x' })
