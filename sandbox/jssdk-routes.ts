import { createHash, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
// The path res.wx.qq.com serves the SDK at: a page that swaps the origin keeps the path.
import { JSSDK_SCRIPT_PATH } from '../src/config.js'
import { presetPlace } from './jssdk-location.js'
import type { PlatformState } from './platform/platform-state.js'
import type { SandboxSession } from './sandbox-state.js'

export interface JssdkRoutesOptions {
  state: PlatformState
  session: SandboxSession
  assets: string
  /** The JS 接口安全域名: the sandbox uses its 网页授权域名 list; any host when absent. */
  domains?: readonly string[]
}

const Text = (maxLength: number) => Type.String({ maxLength })

/** What the stand-in posts from wx.config, plus the page URL it is running on. */
const VerifyBodySchema = Type.Object({
  appId: Text(64),
  timestamp: Type.Union([Text(32), Type.Integer()]),
  nonceStr: Text(64),
  signature: Text(64),
  url: Type.String({ minLength: 1, maxLength: 4096 }),
  jsApiList: Type.Optional(Type.Array(Text(64), { maxItems: 100 }))
}, { additionalProperties: false })

type VerifyBody = Static<typeof VerifyBodySchema>

/** WeChat's wx.config signature: sha1 of the four fields in this order, no URL escaping. */
function configSignature (ticket: string, nonceStr: string, timestamp: string, url: string): string {
  return createHash('sha1').update(`jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`, 'utf8').digest('hex')
}

function sameHex (given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function verdict (body: VerifyBody, options: JssdkRoutesOptions): string {
  if (typeof body.appId !== 'string' || !options.state.apps.has(body.appId)) return 'config:invalid url domain'
  let page: URL
  try {
    page = new URL(body.url)
  } catch {
    return 'config:invalid url domain'
  }
  if (options.domains !== undefined && !options.domains.includes(page.hostname)) return 'config:invalid url domain'
  // WeChat signs the page URL without its fragment, against the ticket it issued (any still valid).
  const url = body.url.split('#', 1)[0] as string
  const signed = options.state.credentials.validTickets()
    .some((ticket) => sameHex(body.signature, configSignature(ticket, body.nonceStr, String(body.timestamp), url)))
  return signed ? 'config:ok' : 'config:invalid signature'
}

/** The JS-SDK stand-in: its script, wx.config's signature check, and wx.getLocation's answer. */
export function registerJssdkRoutes (app: FastifyInstance, options: JssdkRoutesOptions): void {
  const { session } = options

  app.get(JSSDK_SCRIPT_PATH, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache')
      .send(await readFile(join(options.assets, 'public', 'jweixin-1.6.0.js'))))

  app.register(async (scope) => {
    // The stand-in runs on wemp's page origin and calls these from there. Any origin may read
    // them, errors included: the sandbox is a local tool bound to 127.0.0.1, and they tell only
    // yes or no on a signature and a preset place. The stand-in sends CORS "simple" requests
    // (GET, and POST with a text/plain body), so there is no preflight to answer.
    scope.addHook('onSend', async (_request, reply) => {
      reply.header('access-control-allow-origin', '*').header('cache-control', 'no-store')
    })
    // A text/plain body is read as JSON, which is what keeps the stand-in's POST simple.
    scope.addContentTypeParser('text/plain', { parseAs: 'string' }, scope.getDefaultJsonParser('error', 'error'))

    scope.post<{ Body: VerifyBody }>('/sandbox/jssdk/verify', { schema: { body: VerifyBodySchema } }, async (request) =>
      ({ errMsg: verdict(request.body, options) }))

    // The fan holding the phone: the one last chosen on the consent page or acting in the console.
    scope.get('/sandbox/jssdk/location', async () => {
      const setting = session.jssdkLocations.get(session.currentOpenid)
      if (setting.denied) return { errMsg: 'getLocation:fail auth deny' }
      const { latitude, longitude } = presetPlace(setting.place)
      return { errMsg: 'getLocation:ok', latitude, longitude, speed: 0, accuracy: 30 }
    })
  })
}
