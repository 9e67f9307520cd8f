import fastifyFormbody from '@fastify/formbody'
import type { FastifyPluginAsync } from 'fastify'
import { sessionCookieName, webSessionPlugin } from '../../plugins/web-session.js'
import type { Config } from '../../src/config.js'
import { WEB_BASELINE_HEADERS } from '../../src/pages/page-security.js'
import { oauthCallbackRoute } from './oauth-callback.js'
import { oauthLoginRoute } from './oauth-login.js'
import { oauthLogoutRoutes } from './oauth-logout.js'
import { profileRoute } from './profile.js'

export interface WebRoutesOptions {
  config: Config
}

/** The only form here is logout's single token. */
const FORM_BODY_LIMIT = 1024

/**
 * Web authorization and the pages behind it, in their own scope: cookies, sessions and form
 * bodies exist here only, so /wechat never parses a cookie or touches the session store.
 */
export const webRoutes: FastifyPluginAsync<WebRoutesOptions> = async (app, { config }) => {
  const secure = config.publicUrl.startsWith('https:')
  await app.register(webSessionPlugin, { secret: config.sessionSecret, secure, store: app.store })
  await app.register(fastifyFormbody, { bodyLimit: FORM_BODY_LIMIT })
  app.addHook('onRequest', async (_request, reply) => { reply.headers(WEB_BASELINE_HEADERS) })

  oauthLoginRoute(app, config)
  oauthCallbackRoute(app)
  oauthLogoutRoutes(app, { name: sessionCookieName(secure), secure })
  profileRoute(app)
}
