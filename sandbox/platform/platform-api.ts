/**
 * The fake WeChat platform API (api.weixin.qq.com) for tests and the developer sandbox: a real
 * HTTP server with WeChat's shapes, errcodes and habits (errors as HTTP 200 text/plain JSON with
 * a `rid:` suffix in errmsg).
 *
 * Controls, all on `state`:
 * - `fans`, `addFan(...)`, `setOutsideWindow(openid, true)` → custom send gets 45015.
 * - `issueCode({ openid, scope, isSnapshotUser? })` → a web-auth code (single use, 5 minutes).
 * - `messages`: customer-service messages received, in order.
 * - `callCount(path)`: requests per path, faulted ones included.
 * - `failNext(path, fault)`: per-path queue; fault = `{ errcode, errmsg }` | `{ html }` |
 *   `{ body, contentType? }` | `{ bare }` (no Content-Type) | `{ delayMs }` (then the real
 *   answer) | `{ truncate: true }`.
 * - `expireToken(token)`: an access_token, web token or ticket expires now (→ 42001).
 * - `credentials.validTokens()`, `credentials.ticketIsValid(ticket)`.
 * - `now` (option): a clock to age tokens and codes without waiting.
 * - `requests`: every API request with its raw body; `limits.deny(path)` → 48001,
 *   `limits.setDailyQuota(path, n)` → 45009 after n calls a day.
 * - `menus`, `qrcodes`, `templates` (+ `grantSubscription`), `media`, `followers`, `tags`,
 *   `massSends`, `shortKeys`, `typing`: what the management APIs created, for tests and the console.
 * - `callbackIps`: what getcallbackip lists (`127.0.0.1` and `::1` unless changed).
 *
 * showqrcode, on mp.weixin.qq.com in real WeChat, is served here too under /cgi-bin/showqrcode.
 */
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { registerBlacklistRoutes } from './blacklist-routes.js'
import { registerCallbackIpRoutes } from './callback-ip-routes.js'
import { registerFanRoutes } from './fan-routes.js'
import { installFaultHooks } from './fault-hooks.js'
import { registerMassRoutes } from './mass-routes.js'
import { registerMediaRoutes } from './media-routes.js'
import { registerMenuRoutes } from './menu-routes.js'
import { registerMessageRoutes } from './message-routes.js'
import { registerOAuthRoutes } from './oauth-routes.js'
import { createPlatformState } from './platform-state.js'
import type { PlatformState, PlatformStateOptions } from './platform-state.js'
import { registerQrCodeRoutes } from './qrcode-routes.js'
import { installRequestLog } from './request-log.js'
import { registerShortKeyRoutes } from './short-key-routes.js'
import { registerTagRoutes } from './tag-routes.js'
import { registerTemplateRoutes } from './template-routes.js'
import { registerTokenRoutes } from './token-routes.js'

// Uploads reach 10 MB (images, videos); WeChat takes a little more before it answers 45001.
const UPLOAD_BODY_LIMIT = 24 * 1024 * 1024

export interface PlatformApiOptions extends PlatformStateOptions {
  logger?: boolean
}

export interface PlatformApi {
  app: FastifyInstance
  state: PlatformState
}

export interface RunningPlatformApi {
  url: string
  state: PlatformState
  close(): Promise<void>
}

export function createPlatformApi (options: PlatformApiOptions): PlatformApi {
  const state = createPlatformState(options)
  // Closing must not wait for a request parked by a delay fault.
  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true })
  // WeChat reads POST bodies as JSON whatever their Content-Type; parse errors become 47001.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => { done(null, body) })
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: UPLOAD_BODY_LIMIT }, (_request, body, done) => { done(null, body) })
  installFaultHooks(app, state)
  installRequestLog(app, state.requests, state.now)
  registerTokenRoutes(app, state)
  registerMessageRoutes(app, state)
  registerOAuthRoutes(app, state)
  registerMenuRoutes(app, state)
  registerQrCodeRoutes(app, state)
  registerTemplateRoutes(app, state)
  registerMediaRoutes(app, state)
  registerFanRoutes(app, state)
  registerTagRoutes(app, state)
  registerBlacklistRoutes(app, state)
  registerMassRoutes(app, state)
  registerShortKeyRoutes(app, state)
  registerCallbackIpRoutes(app, state)
  return { app, state }
}

export async function startPlatformApi (options: PlatformApiOptions & { host?: string, port?: number }): Promise<RunningPlatformApi> {
  const { app, state } = createPlatformApi(options)
  const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 })
  return { url, state, close: async () => { await app.close() } }
}
