import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { forgetLastLocation } from '../../src/fan-location/last-location.js'
import { readAccountSession } from '../../src/oauth/account-session.js'
import { loginHref } from '../../src/oauth/oauth-pages.js'
import { sameSecret } from '../../src/oauth/same-secret.js'
import { sendOAuthPage } from './oauth-page.js'

const LogoutBody = Type.Object({ csrf: Type.String({ maxLength: 128 }) })

export interface LogoutCookie {
  name: string
  secure: boolean
}

/**
 * POST <base>/oauth/logout (the profile page's button) and the signed-out page. Besides
 * SameSite=Lax, the form carries the session's CSRF token: WeChat's webview and older browsers
 * are not all trusted to enforce SameSite, and a forged logout is still an annoyance. Signing
 * out of one account keeps the browser signed in to the others, and forgets the fan's last
 * location with this account.
 */
export function oauthLogoutRoutes (app: FastifyInstance, cookie: LogoutCookie): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/oauth/logout', {
    schema: { body: LogoutBody },
    attachValidation: true
  }, async (request, reply) => {
    const { account, paths } = request.web!
    const { appId } = account.settings
    const login = readAccountSession(request.session, appId)?.login
    if (login === undefined) return await reply.redirect(paths.signedOut, 303)
    if (request.validationError !== undefined || !sameSecret(login.csrfToken, request.body.csrf)) {
      return await sendOAuthPage(reply, 'form-expired', paths.profile)
    }
    // The fan's last location is personal data that outlives no sign-out (the chat's one too: it is the same record).
    await forgetLastLocation(account.store, login.user.openid)
    const { [appId]: _signedOut, ...others } = request.session.accounts ?? {}
    if (Object.keys(others).length > 0) {
      request.session.accounts = others
      return await reply.redirect(paths.signedOut, 303)
    }
    await request.session.destroy()
    // A __Host- cookie is only replaced by one with the same Secure, Path=/ and no Domain.
    reply.clearCookie(cookie.name, { path: '/', secure: cookie.secure, httpOnly: true, sameSite: 'lax' })
    return await reply.redirect(paths.signedOut, 303)
  })

  app.get('/oauth/signed-out', async (request, reply) => await sendOAuthPage(reply, 'signed-out', loginHref(request.web!.paths)))
}
