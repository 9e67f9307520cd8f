import type { FastifyServerOptions } from 'fastify'
import pino, { type DestinationStream } from 'pino'

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

export type AsyncLogDestination = ReturnType<typeof pino.destination>

/**
 * stdout, written asynchronously (sonic-boom): a line waits in memory while the previous write is
 * in flight, and goes out with the others then. pino registers a synchronous flush at exit.
 */
export function asyncLogDestination (fd = 1): AsyncLogDestination {
  return pino.destination({ dest: fd, sync: false })
}

/**
 * Resolves once the destination has written every line given to it so far, the one in flight
 * included (sonic-boom's flush does not wait for it): an empty write queues behind the others and
 * `drain` comes when the buffer is empty. A reader that stopped reading does not hold the exit
 * beyond `withinMs`: pino's exit hook then writes the rest synchronously.
 */
export async function written (destination: AsyncLogDestination, withinMs = 2000): Promise<void> {
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      destination.off('drain', done)
      destination.off('error', done)
      resolve()
    }
    const timer = setTimeout(done, withinMs)
    destination.once('drain', done)
    // A destination that failed (stdout closed) has nothing more it can write.
    destination.once('error', done)
    destination.write('')
  })
}
