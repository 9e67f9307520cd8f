// A loopback stand-in for wemp's profile page around public/profile-location.js: the page (with a
// strict CSP and, when asked, the sandbox's stand-in JS-SDK), /jssdk/config signed with a real
// jsapi_ticket from the sandbox, and a fake POST /profile/location that records what it gets.
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { locationLine } from '../../../src/fan-location/location-line.js'
import { findProjectRoot } from '../../../src/project-root.js'
import { shanghaiDate } from '../../../src/weather/day-parse.js'
import { nearestPrefectureCity } from '../../../src/weather/nearest-city.js'
import { jssdkSignature } from '../../../src/wechat-api/jssdk-signature.js'
import { SHARED } from '../wemp-server.js'

export const CSRF = 'csrf-token-for-the-page'
export const LAST_LINE = '📍 上次的位置 · 昨天'

export interface LocationPageSettings {
  /** Load the stand-in JS-SDK from the sandbox (a page inside WeChat). */
  withSdk: boolean
  /** Sign this URL instead of the one asked for: a server that signs the wrong page. */
  signUrl?: string
  /** The status POST /profile/location answers with; 200 gives { line }. */
  postStatus: number
  /** Text put into the answer's line, to see that it stays text. */
  lineSuffix: string
}

export interface LocationPage {
  url: string
  settings: LocationPageSettings
  /** The url= each /jssdk/config request asked for. */
  configRequests: string[]
  posts: Array<Record<string, unknown>>
  ticket(): Promise<string>
}

interface Teardown { teardown(fn: () => unknown): void }

async function bodyOf (request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function page (nonce: string, sandboxUrl: string, withSdk: boolean): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>我的资料</title></head><body>
<section id="location" data-csrf="${CSRF}" data-jssdk-config-url="/jssdk/config" data-post-url="/profile/location">
<p data-location-line>${LAST_LINE}</p>
<p data-location-status></p>
</section>
${withSdk ? `<script nonce="${nonce}" src="${sandboxUrl}/open/js/jweixin-1.6.0.js"></script>` : ''}
<script nonce="${nonce}" src="/profile-location.js"></script>
</body></html>`
}

export async function startLocationPage (t: Teardown, sandboxUrl: string): Promise<LocationPage> {
  const script = await readFile(join(findProjectRoot(), 'public', 'profile-location.js'))
  const configRequests: string[] = []
  const posts: Array<Record<string, unknown>> = []
  const settings: LocationPageSettings = { withSdk: true, postStatus: 200, lineSuffix: '' }
  let ticket: string | undefined

  async function freshTicket (): Promise<string> {
    const token = await (await fetch(`${sandboxUrl}/cgi-bin/stable_token`, {
      method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: SHARED.appId, secret: SHARED.appSecret })
    })).json() as { access_token: string }
    const answer = await (await fetch(`${sandboxUrl}/cgi-bin/ticket/getticket?access_token=${token.access_token}&type=jsapi`)).json() as { ticket: string }
    ticket = answer.ticket
    return ticket
  }

  async function handle (request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/profile') {
      const nonce = randomBytes(16).toString('base64')
      response.setHeader('content-security-policy',
        `default-src 'none'; script-src 'nonce-${nonce}' ${sandboxUrl}; connect-src 'self' ${sandboxUrl}; base-uri 'none'; form-action 'self'`)
      response.setHeader('content-type', 'text/html; charset=utf-8')
      response.end(page(nonce, sandboxUrl, settings.withSdk))
    } else if (url.pathname === '/profile-location.js') {
      response.setHeader('content-type', 'text/javascript; charset=utf-8')
      response.end(script)
    } else if (url.pathname === '/jssdk/config') {
      const asked = url.searchParams.get('url') ?? ''
      configRequests.push(asked)
      const nonceStr = randomBytes(8).toString('hex')
      const timestamp = Math.floor(Date.now() / 1000)
      const jsapiTicket = ticket ?? await freshTicket()
      const signature = jssdkSignature({ jsapiTicket, nonceStr, timestamp, url: settings.signUrl ?? asked })
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify({ appId: SHARED.appId, timestamp, nonceStr, signature }))
    } else if (url.pathname === '/profile/location' && request.method === 'POST') {
      const body = JSON.parse(await bodyOf(request)) as { latitude: number, longitude: number }
      posts.push({ ...body, contentType: request.headers['content-type'] })
      response.statusCode = settings.postStatus
      response.setHeader('content-type', 'application/json')
      const now = new Date()
      const forecast = [{ date: shanghaiDate(now), weatherCode: 0, tMin: 12, tMax: 24, precipitationProbabilityMax: 0 }]
      const line = locationLine({ place: nearestPrefectureCity(body.latitude, body.longitude), forecast, reportedAt: now, now })
      response.end(JSON.stringify(settings.postStatus === 200 ? { line: line + settings.lineSuffix } : { error: 'refused' }))
    } else {
      response.statusCode = 404
      response.end()
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => { response.statusCode = 500; response.end(String(error)) })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, settings, configRequests, posts, ticket: async () => ticket ?? await freshTicket() }
}
