import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

/** A browser's cookie jar in front of app.inject: what Set-Cookie gives, the next request sends. */
export interface WebBrowser {
  readonly cookies: Map<string, string>
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  post(url: string, form: Record<string, string>, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  /** A fetch() with a JSON body, as the page's script sends it; `body` is sent as given when a string. */
  postJson(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>
}

export function createBrowser (app: FastifyInstance, defaultHeaders: Record<string, string> = {}): WebBrowser {
  const cookies = new Map<string, string>()

  function remember (response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as Array<{ name: string, value: string, maxAge?: number, expires?: Date }>) {
      const expired = cookie.value === '' || cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now())
      if (expired) cookies.delete(cookie.name)
      else cookies.set(cookie.name, cookie.value)
    }
    return response
  }

  function headersWithCookies (headers: Record<string, string>): Record<string, string> {
    const all = { ...defaultHeaders, ...headers }
    if (cookies.size > 0) all.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    return all
  }

  return {
    cookies,
    async get (url, headers = {}) {
      return remember(await app.inject({ method: 'GET', url, headers: headersWithCookies(headers) }))
    },
    async post (url, form, headers = {}) {
      return remember(await app.inject({
        method: 'POST',
        url,
        headers: headersWithCookies({ 'content-type': 'application/x-www-form-urlencoded', ...headers }),
        payload: new URLSearchParams(form).toString()
      }))
    },
    async postJson (url, body, headers = {}) {
      return remember(await app.inject({
        method: 'POST',
        url,
        headers: headersWithCookies({ 'content-type': 'application/json', ...headers }),
        payload: typeof body === 'string' ? body : JSON.stringify(body)
      }))
    }
  }
}
