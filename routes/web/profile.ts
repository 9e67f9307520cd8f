import type { FastifyInstance } from 'fastify'
import { readAccountSession } from '../../src/oauth/account-session.js'
import { loginHref } from '../../src/oauth/oauth-pages.js'
import { profileView } from '../../src/oauth/web-user.js'

/** GET <base>/profile: the signed-in fan's page; without a session for this account, off to sign in and back. */
export function profileRoute (app: FastifyInstance): void {
  app.get('/profile', async (request, reply) => {
    const { account, paths } = request.web!
    const login = readAccountSession(request.session, account.settings.appId)?.login
    if (login === undefined) return await reply.redirect(loginHref(paths, paths.profile), 302)
    return await reply.page('profile', { ...profileView(login, paths) })
  })
}
