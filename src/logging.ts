import type { FastifyServerOptions } from 'fastify'
import type { DestinationStream } from 'pino'

interface RequestLike {
  method: string
  url: string
  id?: string
  ip?: string
}

/**
 * pino options for the service. Fastify's default request serializer logs the full URL, whose
 * query carries signatures, nonces, openids and OAuth codes: only the path is logged here.
 */
export function loggerOptions (level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream === undefined ? {} : { stream }),
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    serializers: {
      req: (request: RequestLike) => ({ method: request.method, path: pathOnly(request.url), ip: request.ip }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode })
    }
  }
}

export function pathOnly (url: string): string {
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
}
