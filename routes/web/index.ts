import fastifyFormbody from '@fastify/formbody'
import type { FastifyPluginAsync } from 'fastify'
import { viewsPlugin } from '../../plugins/views.js'
import { webRateLimit } from '../../plugins/web-rate-limit.js'
import { sessionCookieName, webSessionPlugin } from '../../plugins/web-session.js'
import type { Account } from '../../src/accounts/account.js'
import { DEFAULT_ACCOUNT } from '../../src/accounts/account-settings.js'
import type { Config } from '../../src/config.js'
import { ACCOUNT_WEB_PREFIX, accountWebBase, webPaths, type WebPaths } from '../../src/oauth/web-paths.js'
import { WEB_BASELINE_HEADERS } from '../../src/pages/page-security.js'
import { jssdkRoutes } from './jssdk.js'
import { oauthCallbackRoute } from './oauth-callback.js'
import { oauthLoginRoute } from './oauth-login.js'
import { oauthLogoutRoutes } from './oauth-logout.js'
import { onPublicOrigin } from './origin-guard.js'
import { profileRoute } from './profile.js'
import { profileLocationRoute } from './profile-location.js'
import { staticAssets } from './static-assets.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The account whose pages these are, and where they live. */
    web: { account: Account, paths: WebPaths } | null
  }
}

export interface WebRoutesOptions {
  config: Config
  account: (id: string) => Account | undefined
}

/** The only form here is logout's single token. */
const FORM_BODY_LIMIT = 1024

/**
 * Web authorization, the pages behind it, the JS-SDK config and the pages' static scripts, all on
 * PUBLIC_URL's origin (others are redirected there), in their own scope: cookies,
 * sessions and form bodies exist here only, so /wechat never parses a cookie or touches the
 * session store. The account `default` has them at the root, every account under /accounts/<id>.
 */
export const webRoutes: FastifyPluginAsync<WebRoutesOptions> = async (app, { config, account }) => {
  const secure = config.publicUrl.startsWith('https:')
  app.addHook('onRequest', async (_request, reply) => { reply.headers(WEB_BASELINE_HEADERS) })
  // Before the session's hooks: a request on another origin is sent to PUBLIC_URL before a session is read.
  app.addHook('onRequest', onPublicOrigin(config.publicUrl))
  // Here, not beside the other plugins: @fastify/view's onRequest hook would run on every push too.
  await app.register(viewsPlugin, { production: config.production })
  // Before the session too: a flood of limited requests costs no session lookup.
  await app.register(webRateLimit, { max: config.webRateLimitMax, windowMs: config.webRateLimitWindowSeconds * 1000, redis: app.storeRedis })
  await app.register(webSessionPlugin, { secret: config.sessionSecret, secure, store: app.store })
  await app.register(fastifyFormbody, { bodyLimit: FORM_BODY_LIMIT })
  app.decorateRequest('web', null)

  const pages: FastifyPluginAsync = async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      const id = (request.params as { account?: string }).account
      const found = account(id ?? DEFAULT_ACCOUNT)
      if (found === undefined) {
        request.log.info('web page of an account this server does not serve')
        return await reply.code(404).type('text/plain; charset=utf-8').send('not found')
      }
      request.web = { account: found, paths: webPaths(id === undefined ? '' : accountWebBase(id)) }
    })
    oauthLoginRoute(scope, config)
    oauthCallbackRoute(scope)
    oauthLogoutRoutes(scope, { name: sessionCookieName(secure), secure })
    profileRoute(scope, config)
    await profileLocationRoute(scope, config)
    jssdkRoutes(scope, config)
  }
  await app.register(pages)
  await app.register(pages, { prefix: ACCOUNT_WEB_PREFIX })
  // One copy for every account: the scripts are the same, and carry nothing of an account.
  await app.register(staticAssets)
}
