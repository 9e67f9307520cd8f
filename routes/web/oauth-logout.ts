import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { loginHref } from '../../src/oauth/oauth-pages.js'
import { sameSecret } from '../../src/oauth/same-secret.js'
import { sendOAuthPage } from './oauth-page.js'

export const SIGNED_OUT_PATH = '/oauth/signed-out'

const LogoutBody = Type.Object({ csrf: Type.String({ maxLength: 128 }) })

export interface LogoutCookie {
  name: string
  secure: boolean
}

/**
 * POST /oauth/logout (the profile page's button) and the signed-out page. Besides SameSite=Lax,
 * the form carries the session's CSRF token: WeChat's webview and older browsers are not all
 * trusted to enforce SameSite, and a forged logout is still an annoyance.
 */
export function oauthLogoutRoutes (app: FastifyInstance, cookie: LogoutCookie): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/oauth/logout', {
    schema: { body: LogoutBody },
    attachValidation: true
  }, async (request, reply) => {
    const login = request.session.login
    if (login === undefined) return await reply.redirect(SIGNED_OUT_PATH, 303)
    if (request.validationError !== undefined || !sameSecret(login.csrfToken, request.body.csrf)) {
      return await sendOAuthPage(reply, 'form-expired', '/profile')
    }
    await request.session.destroy()
    // A __Host- cookie is only replaced by one with the same Secure, Path=/ and no Domain.
    reply.clearCookie(cookie.name, { path: '/', secure: cookie.secure, httpOnly: true, sameSite: 'lax' })
    return await reply.redirect(SIGNED_OUT_PATH, 303)
  })

  app.get(SIGNED_OUT_PATH, async (_request, reply) => await sendOAuthPage(reply, 'signed-out', loginHref()))
}
