import type { FastifyInstance } from 'fastify'
import { loginHref } from '../../src/oauth/oauth-pages.js'
import { profileView } from '../../src/oauth/web-user.js'

/** GET /profile: the signed-in fan's page; without a session, off to sign in and back. */
export function profileRoute (app: FastifyInstance): void {
  app.get('/profile', async (request, reply) => {
    const login = request.session.login
    if (login === undefined) return await reply.redirect(loginHref('/profile'), 302)
    return await reply.page('profile', { ...profileView(login) })
  })
}
