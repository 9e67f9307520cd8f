import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../src/config.js'
import { writableAccountSession } from '../../src/oauth/account-session.js'
import { authorizeUrl } from '../../src/oauth/authorize-url.js'
import { newBrowserBinding, newState, savePendingLogin } from '../../src/oauth/login-state.js'
import { safeNextPath } from '../../src/oauth/next-path.js'
import { loginHref } from '../../src/oauth/oauth-pages.js'
import { DEFAULT_SCOPE, OAUTH_SCOPES } from '../../src/oauth/scopes.js'
import { sendOAuthPage } from './oauth-page.js'

const LoginQuery = Type.Object({
  scope: Type.Optional(Type.Union(OAUTH_SCOPES.map((scope) => Type.Literal(scope)))),
  next: Type.Optional(Type.String({ maxLength: 2048 }))
})

/**
 * GET <base>/oauth/login: mints a single-use state bound to this browser's session and sends the
 * fan to WeChat's authorize page for this account. An unknown scope is a 400; an unsafe `next`
 * quietly becomes the account's profile.
 */
export function oauthLoginRoute (app: FastifyInstance, config: Config): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/oauth/login', {
    schema: { querystring: LoginQuery },
    attachValidation: true,
    config: { webRateLimit: 'page' }
  }, async (request, reply) => {
    const { account, paths } = request.web!
    if (request.validationError !== undefined) return await sendOAuthPage(reply, 'malformed', loginHref(paths))
    const scope = request.query.scope ?? DEFAULT_SCOPE
    const next = safeNextPath(request.query.next, paths.profile)
    const session = writableAccountSession(request.session, account.settings.appId)
    const binding = session.loginBinding ?? newBrowserBinding()
    session.loginBinding = binding
    const state = newState()
    await savePendingLogin(account.store, state, { binding, next, scope })
    return await reply.redirect(authorizeUrl({
      oauthBase: config.oauthBase, appId: account.settings.appId, publicUrl: config.publicUrl, callbackPath: paths.callback, scope, state
    }), 302)
  })
}
