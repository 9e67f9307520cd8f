import { randomBytes } from 'node:crypto'
import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Account } from '../../src/accounts/account.js'
import { readAccountSession, writableAccountSession } from '../../src/oauth/account-session.js'
import { classifyExchangeError, failureLogFields } from '../../src/oauth/exchange-failure.js'
import { STATE_PATTERN, takePendingLogin, type PendingLogin } from '../../src/oauth/login-state.js'
import { loginHref } from '../../src/oauth/oauth-pages.js'
import { sameSecret } from '../../src/oauth/same-secret.js'
import { grantsUserInfo } from '../../src/oauth/scopes.js'
import type { WebUser } from '../../src/oauth/web-user.js'
import type { OAuthToken } from '../../src/wechat-api/oauth.js'
import { sendOAuthPage } from './oauth-page.js'

const CallbackQuery = Type.Object({
  // WeChat's codes are short printable ASCII; anything else is not worth sending upstream.
  code: Type.Optional(Type.String({ maxLength: 512, pattern: '^[\\x21-\\x7e]*$' })),
  state: Type.Optional(Type.String({ pattern: STATE_PATTERN }))
})

/**
 * GET <base>/oauth/callback: where WeChat sends the fan back to this account. Every check that can refuse happens before
 * the code is exchanged; every answer is a redirect to a clean URL or a friendly page, never a 500
 * for anything WeChat does (docs/security.md H 73-84).
 */
export function oauthCallbackRoute (app: FastifyInstance): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/oauth/callback', {
    schema: { querystring: CallbackQuery },
    attachValidation: true,
    config: { webRateLimit: 'page' }
  }, async (request, reply) => {
    const { account, paths } = request.web!
    const { appId } = account.settings
    if (request.validationError !== undefined) return await sendOAuthPage(reply, 'malformed', loginHref(paths))
    const { code, state } = request.query
    // WeChat sends only `state` when the fan declines the consent page.
    if (code === undefined || code === '') return await sendOAuthPage(reply, 'declined', loginHref(paths))
    if (state === undefined || state === '') return await sendOAuthPage(reply, 'forbidden', loginHref(paths))

    const pending = await takePendingLogin(account.store, state)
    const held = readAccountSession(request.session, appId)
    if (pending === null) {
      // The webview re-sent a redirect this browser already completed: land again, exchange nothing.
      const login = held?.login
      if (login !== undefined && login.state === state) return await reply.redirect(login.next, 302)
      return await sendOAuthPage(reply, 'forbidden', loginHref(paths))
    }
    if (!sameSecret(held?.loginBinding, pending.binding)) return await sendOAuthPage(reply, 'forbidden', loginHref(paths))

    let token: OAuthToken
    try {
      token = await account.api.oauth.exchangeCode(code)
    } catch (error) {
      return await onExchangeFailure(request, reply, pending, error)
    }
    // Snapshot-page identities are virtual: never signed in as if they were the fan (H 83).
    if (token.isSnapshotUser) return await sendOAuthPage(reply, 'snapshot', loginHref(paths, pending.next, pending.scope))

    const user = await webUser(request, account, token)
    // A new session id at the privilege change (no fixation); the accounts' parts carry over, and
    // of this account's part only the browser binding.
    await request.session.regenerate(['accounts'])
    const session = writableAccountSession(request.session, appId)
    delete session.loginRestarted
    session.login = { user, csrfToken: randomBytes(32).toString('base64url'), state, next: pending.next }
    return await reply.redirect(pending.next, 302)
  })
}

/** The fan from the token, with nickname and avatar when the grant allows and /sns/userinfo answers. */
async function webUser (request: FastifyRequest, account: Account, token: OAuthToken): Promise<WebUser> {
  const user: WebUser = { openid: token.openid, scope: grantsUserInfo(token.scope) ? 'snsapi_userinfo' : 'snsapi_base' }
  if (token.unionid !== undefined) user.unionid = token.unionid
  if (user.scope !== 'snsapi_userinfo') return user
  try {
    const info = await account.api.oauth.userInfo(token.accessToken, token.openid)
    // Everything /sns/userinfo says about the fan, as sent; empty ones are hidden by the page.
    user.nickname = info.nickname
    user.headimgurl = info.headimgurl
    user.sex = info.sex
    user.country = info.country
    user.province = info.province
    user.city = info.city
    user.unionid ??= info.unionid
  } catch (error) {
    // The login itself succeeded: keep it with the openid only; the profile offers a retry (H 82).
    request.log.warn(failureLogFields(error), 'web authorization: userinfo failed; signed in with the openid only')
  }
  return user
}

async function onExchangeFailure (request: FastifyRequest, reply: FastifyReply, pending: PendingLogin, error: unknown): Promise<FastifyReply> {
  const failure = classifyExchangeError(error)
  request.log.warn({ ...failureLogFields(error), failure }, 'web authorization: code exchange failed')
  const { account, paths } = request.web!
  const session = writableAccountSession(request.session, account.settings.appId)
  const retry = loginHref(paths, pending.next, pending.scope)
  if (failure === 'upstream') return await sendOAuthPage(reply, 'upstream', retry)
  // 40163 for a browser that is signed in: the code was ours and already worked.
  if (failure === 'code-used' && session.login !== undefined) return await reply.redirect(pending.next, 302)
  // A rejected code gets one fresh authorization per session; a second rejection stops the loop.
  if (session.loginRestarted === true) return await sendOAuthPage(reply, 'code-rejected', retry)
  session.loginRestarted = true
  return await reply.redirect(retry, 302)
}
