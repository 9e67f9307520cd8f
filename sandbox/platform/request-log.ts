import type { FastifyInstance } from 'fastify'

/** A request to the platform API as it arrived, for tests that check the exact bytes sent. */
export interface RecordedRequest {
  method: string
  path: string
  /** The query without access_token, which tests never need and the console must not show. */
  query: Record<string, string>
  /** The same, as sent (still percent-encoded), for checks on how a client encodes. */
  rawQuery: string
  /** The raw body text; undefined for GETs and multipart uploads (see `state.media` for those). */
  body: string | undefined
  at: number
}

export interface RequestLog {
  readonly entries: readonly RecordedRequest[]
  /** The latest request to `path`, if any. */
  last(path: string): RecordedRequest | undefined
  record(request: RecordedRequest): void
}

// A long-running sandbox must not grow without bound; tests look at the last few requests.
const KEPT = 1000

export function createRequestLog (): RequestLog {
  const entries: RecordedRequest[] = []
  return {
    entries,
    last: (path) => [...entries].reverse().find((entry) => entry.path === path),
    record (request) {
      entries.push(request)
      if (entries.length > KEPT) entries.shift()
    }
  }
}

/** Records every API request (not the console's) once its body has been read. */
export function installRequestLog (app: FastifyInstance, log: RequestLog, now: () => number): void {
  app.addHook('preHandler', async (request) => {
    const path = request.url.split('?', 1)[0] as string
    if (!path.startsWith('/cgi-bin/') && !path.startsWith('/sns/')) return
    const query: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.query as Record<string, unknown>)) {
      if (name !== 'access_token' && typeof value === 'string') query[name] = value
    }
    const search = request.url.slice(path.length + 1)
    const rawQuery = search.split('&').filter((pair) => pair !== '' && !pair.startsWith('access_token=')).join('&')
    log.record({ method: request.method, path, query, rawQuery, body: typeof request.body === 'string' ? request.body : undefined, at: now() })
  })
}
