import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * An onRequest hook: the web pages live on PUBLIC_URL's origin only. The login's state sits in a
 * cookie of the origin the fan started on, and WeChat sends the fan back to PUBLIC_URL: started
 * on http://127.0.0.1:3000 with PUBLIC_URL=http://localhost:3000, the callback would find no
 * state and say 登录链接已失效. So a GET (or HEAD) on another origin is sent, before any session
 * or state is made, to the same path and query on PUBLIC_URL; anything else is refused, since a
 * redirect would turn a POST into a GET or lose its body.
 *
 * The request's origin is its Host and scheme as Fastify sees them: behind a proxy that
 * TRUST_PROXY trusts, X-Forwarded-Host and X-Forwarded-Proto.
 */
export function onPublicOrigin (publicUrl: string): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const origin = new URL(publicUrl).origin
  return async (request, reply) => {
    if (originOf(request) === origin) return
    request.log.info({ method: request.method }, 'web page asked on another origin than PUBLIC_URL')
    if (request.method === 'GET' || request.method === 'HEAD') {
      // request.url is the path and query as sent; the origin in front of it is ours alone. An
      // absolute-form target (`GET http://host/path`, as to a proxy) is routed too: to our root.
      const path = request.url.startsWith('/') ? request.url : '/'
      return await reply.redirect(`${origin}${path}`, 302)
    }
    // 421 Misdirected Request: this origin does not serve these pages (RFC 9110 §15.5.20).
    return await reply.code(421).type('text/plain; charset=utf-8').send(`use ${origin}`)
  }
}

/** `http://localhost:3000` from the request, normalised as URL does (lower case, no default port). */
function originOf (request: FastifyRequest): string | undefined {
  try {
    return new URL(`${request.protocol}://${request.host}`).origin
  } catch {
    return undefined
  }
}
