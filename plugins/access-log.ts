import { LogController } from 'fastify'
import fp from 'fastify-plugin'
import { pathOnly } from '../src/logging.js'

/** What became of a request to a server URL; web pages and probes have none. */
export type AccessOutcome = 'answered' | 'no-reply' | 'late' | 'duplicate' | 'refused' | 'busy' | 'failed' | 'verified'

/** What the access line says about a request beyond its method, path, status and time: filled in by the code that knows. */
export interface AccessDetails {
  account: string | undefined
  pushType: string | undefined
  outcome: AccessOutcome | undefined
  /** Why a request was refused (a 4xx): never the input itself. */
  reason: string | undefined
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The access line's details; null until something about the request is known. */
    access: AccessDetails | null
  }
}

/** Details of one shape from the start, so that the access line's hook sees one hidden class. */
export function accessDetails (account?: string): AccessDetails {
  return { account, pushType: undefined, outcome: undefined, reason: undefined }
}

/**
 * The server option that turns Fastify's own request lines off ("incoming request", "request
 * completed", its 404 and error-handler lines): where the server is made, beside serverOptions.
 */
export function withoutFastifyRequestLines (): { logController: LogController } {
  return { logController: new LogController({ disableRequestLogging: true }) }
}

/**
 * One line per request at info, written when the response is sent, in place of Fastify's two
 * request lines (the server turns them off with `withoutFastifyRequestLines`). The path only: the query
 * of /wechat carries signatures, nonces and openids, that of /oauth/callback the OAuth code.
 * pino leaves out the fields that stay undefined.
 */
export const accessLog = fp(async (app) => {
  app.decorateRequest('access', null)
  // Callback style: no promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    const details = request.access
    request.log.info({
      method: request.method,
      path: pathOnly(request.url),
      ip: request.ip,
      account: details?.account,
      pushType: details?.pushType,
      outcome: details?.outcome,
      reason: details?.reason,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10
    }, 'request')
    done()
  })
}, { name: 'wemp-access-log', fastify: '5.x' })
