import rateLimit, { normalizeIP } from '@fastify/rate-limit'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Redis } from 'ioredis'
import { accountWebBase, webPaths } from '../src/oauth/web-paths.js'
import { loginHref, OAUTH_PAGES } from '../src/oauth/oauth-pages.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route is rate limited per client; a refused request gets the fan's page (`page`) or JSON for the page's scripts (`json`). */
    webRateLimit?: 'page' | 'json'
  }
}

export interface WebRateLimitOptions {
  /** Requests per client and window on each limited route; 0: no limit. */
  max: number
  windowMs: number
  /** The shared Redis connection: every instance counts together. Null: this process counts alone. */
  redis: Redis | null
}

/** IPv6 clients are counted by their /64, as one household or phone usually holds a whole one. */
const IPV6_SUBNET = 64

/**
 * Rate limits per client (request.ip, which honours TRUST_PROXY) on the routes that mark
 * themselves with `config.webRateLimit`, each route counted apart. Its hook runs in the web
 * scope before the session is read, so a flood costs no session lookup. A failing Redis lets
 * the request through with a log line: a page must not fail because its counter did.
 */
export const webRateLimit = fp<WebRateLimitOptions>(async (app, options) => {
  if (options.max === 0) return
  await app.register(rateLimit, {
    global: false,
    max: options.max,
    timeWindow: options.windowMs,
    ...(options.redis !== null && { redis: options.redis }),
    nameSpace: 'rate-limit:',
    keyGenerator: (request) => `${request.routeOptions.method as string} ${request.routeOptions.url as string}|${normalizeIP(request.ip, IPV6_SUBNET)}`
  })
  const check = app.createRateLimit()
  app.addHook('onRequest', async (request, reply) => {
    const answer = request.routeOptions.config.webRateLimit
    if (answer === undefined) return
    let limit: Awaited<ReturnType<typeof check>>
    try {
      limit = await check(request)
    } catch (error) {
      // Only the kind of failure: a Redis error can carry its command's arguments.
      request.log.warn({ code: (error as { code?: unknown }).code, errorType: (error as Error).name }, 'rate-limit store failed; request let through uncounted')
      return
    }
    if (limit.isAllowed || !limit.isExceeded) return
    await refuse(request, reply, answer, limit.ttlInSeconds)
  })
}, { name: 'wemp-web-rate-limit', fastify: '5.x', dependencies: ['wemp-views'] })

async function refuse (request: FastifyRequest, reply: FastifyReply, answer: 'page' | 'json', retryAfterSeconds: number): Promise<FastifyReply> {
  // The route's pattern, never the URL: a callback's query holds an OAuth code.
  request.log.warn({ route: request.routeOptions.url, retryAfterSeconds }, 'web request rate limited')
  void reply.code(OAUTH_PAGES['too-many-requests'].status).header('retry-after', retryAfterSeconds).header('cache-control', 'no-store')
  if (answer === 'json') return await reply.send({ error: 'too many requests', retryAfterSeconds })
  const id = (request.params as { account?: string }).account
  const actionHref = loginHref(webPaths(id === undefined ? '' : accountWebBase(id)))
  return await reply.page('oauth-error', { ...OAUTH_PAGES['too-many-requests'], kind: 'too-many-requests', actionHref })
}
