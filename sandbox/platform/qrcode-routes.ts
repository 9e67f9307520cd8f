import type { FastifyInstance } from 'fastify'
import { apiRoute, fail } from './api-route.js'
import type { Json } from './json.js'
import type { PlatformState } from './platform-state.js'
import { qrCodePng } from './qr-image.js'
import type { QrActionName } from './qrcode-registry.js'
import { queryParam } from './wechat-reply.js'
import { ERR } from './wechat-errors.js'

const MAX_EXPIRE_SECONDS = 2_592_000
const DEFAULT_EXPIRE_SECONDS = 60
const MAX_PERMANENT = 100_000

/** Scene rules per action: temporary ids are 32-bit and non-zero, permanent ids 1–100000, strings 1–64. */
const SCENES: Record<QrActionName, { permanent: boolean, scene: (scene: Json) => number | string | undefined }> = {
  QR_SCENE: { permanent: false, scene: (s) => integerIn(s.scene_id, 1, 0xffffffff) },
  QR_STR_SCENE: { permanent: false, scene: (s) => stringOf(s.scene_str) },
  QR_LIMIT_SCENE: { permanent: true, scene: (s) => integerIn(s.scene_id, 1, 100_000) },
  QR_LIMIT_STR_SCENE: { permanent: true, scene: (s) => stringOf(s.scene_str) }
}

const integerIn = (value: unknown, min: number, max: number): number | undefined =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max ? value as number : undefined
const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length >= 1 && value.length <= 64 ? value : undefined

/** qrcode/create, and showqrcode, which WeChat serves from mp.weixin.qq.com without a token. */
export function registerQrCodeRoutes (app: FastifyInstance, state: PlatformState): void {
  apiRoute(app, state, 'POST', '/cgi-bin/qrcode/create', ({ body, appId }) => {
    const actionName = String(body.action_name)
    const rule = Object.hasOwn(SCENES, actionName) ? SCENES[actionName as QrActionName] : fail(ERR.invalidActionName)
    const info = body.action_info as { scene?: unknown } | undefined
    const sceneObject = typeof info?.scene === 'object' && info.scene !== null ? info.scene as Json : fail(ERR.invalidActionInfo)
    const scene = rule.scene(sceneObject) ?? fail(ERR.invalidActionInfo)
    if (rule.permanent) {
      if (state.qrcodes.permanentCount() >= MAX_PERMANENT) fail(ERR.qrcodeCountLimit)
      const code = state.qrcodes.issue(actionName as QrActionName, scene, undefined, appId)
      return { ticket: code.ticket, url: code.url }
    }
    // WeChat caps the lifetime at 30 days and defaults to 60 seconds.
    const asked = Number.isInteger(body.expire_seconds) && (body.expire_seconds as number) > 0 ? body.expire_seconds as number : DEFAULT_EXPIRE_SECONDS
    const expireSeconds = Math.min(asked, MAX_EXPIRE_SECONDS)
    const code = state.qrcodes.issue(actionName as QrActionName, scene, expireSeconds, appId)
    return { ticket: code.ticket, expire_seconds: expireSeconds, url: code.url }
  })

  app.get('/cgi-bin/showqrcode', async (request, reply) => {
    const code = state.qrcodes.live(queryParam(request, 'ticket') ?? '')
    if (code === undefined) return reply.code(404).type('text/html; charset=utf-8').send('<html><body>404 Not Found</body></html>')
    return reply.code(200).type('image/png').send(qrCodePng(code.ticket))
  })
}
