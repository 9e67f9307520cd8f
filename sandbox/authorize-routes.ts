import type { FastifyInstance, FastifyReply } from 'fastify'
import { checkAuthorizeRequest, redirectTarget } from './authorize-request.js'
import type { AuthorizeError, AuthorizeRules } from './authorize-request.js'
import type { PlatformState } from './platform/platform-state.js'
import type { SandboxSession } from './sandbox-state.js'

export interface AuthorizeRoutesOptions {
  state: PlatformState
  session: SandboxSession
  rules: AuthorizeRules
}

const AUTHORIZE_PATH = '/connect/oauth2/authorize'

/**
 * open.weixin.qq.com's authorize page: snsapi_base passes silently for the fan holding the
 * phone; snsapi_userinfo asks which fan and whether to allow. Codes come from the platform
 * state, so the platform API's /sns/oauth2/access_token accepts them.
 */
export function registerAuthorizeRoutes (app: FastifyInstance, options: AuthorizeRoutesOptions): void {
  const { state, session, rules } = options

  app.get(AUTHORIZE_PATH, async (request, reply) => {
    const checked = checkAuthorizeRequest(request.query as Record<string, unknown>, rules)
    if (!checked.ok) return showError(reply, checked.error)
    const { request: authorize } = checked
    if (authorize.scope === 'snsapi_base') {
      return reply.redirect(redirectTarget(authorize, state.issueCode({ openid: session.currentOpenid, scope: 'snsapi_base' })))
    }
    return reply.type('text/html; charset=utf-8').viewAsync('authorize.eta', {
      accountName: rules.accounts.get(authorize.appid),
      host: authorize.redirectUri.host,
      fans: [...state.fans.values()],
      currentOpenid: session.currentOpenid,
      hidden: { appid: authorize.appid, redirect_uri: authorize.redirectUri.toString(), response_type: 'code', scope: authorize.scope, state: authorize.state }
    })
  })

  // The consent form posts back every parameter: they are checked again, never trusted.
  app.post(AUTHORIZE_PATH, async (request, reply) => {
    const form = request.body as Record<string, unknown>
    const checked = checkAuthorizeRequest(form, rules)
    if (!checked.ok) return showError(reply, checked.error)
    const { request: authorize } = checked
    if (form.decision !== 'allow') return reply.redirect(redirectTarget(authorize, undefined))
    const fan = typeof form.openid === 'string' ? state.fans.get(form.openid) : undefined
    if (fan === undefined) return showError(reply, { message: '请选择一个粉丝' })
    session.currentOpenid = fan.openid
    return reply.redirect(redirectTarget(authorize, state.issueCode({ openid: fan.openid, scope: authorize.scope })))
  })
}

function showError (reply: FastifyReply, error: AuthorizeError): Promise<string> {
  // WeChat's error page is an ordinary 200 page, not an HTTP error.
  return reply.type('text/html; charset=utf-8').viewAsync('authorize-error.eta', { code: error.code, message: error.message })
}
