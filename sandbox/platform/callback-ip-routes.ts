import type { FastifyInstance } from 'fastify'
import { apiRoute } from './api-route.js'
import type { PlatformState } from './platform-state.js'

/** getcallbackip: where "WeChat" pushes from; loopback here, so wemp's WECHAT_CALLBACK_IP_CHECK admits the sandbox's pushes. */
export function registerCallbackIpRoutes (app: FastifyInstance, state: PlatformState): void {
  apiRoute(app, state, 'GET', '/cgi-bin/getcallbackip', () => ({ ip_list: [...state.callbackIps] }))
}
