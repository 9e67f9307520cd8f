import type { FastifyInstance, FastifyReply } from 'fastify'
import type { WebToken } from './oauth-registry.js'
import type { PlatformState } from './platform-state.js'
import { queryParam, sendError, sendJson } from './wechat-reply.js'
import { ERR } from './wechat-errors.js'

const SNAPSHOT_NICKNAME = '微信用户'
const SNAPSHOT_AVATAR = 'https://thirdwx.qlogo.cn/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg/132'

function sendWebToken (reply: FastifyReply, state: PlatformState, token: WebToken): FastifyReply {
  const unionid = token.scope === 'snsapi_userinfo' ? state.fans.get(token.openid)?.unionid : undefined
  return sendJson(reply, {
    access_token: token.accessToken,
    expires_in: token.expiresIn,
    refresh_token: token.refreshToken,
    openid: token.openid,
    scope: token.scope,
    ...(token.isSnapshotUser ? { is_snapshotuser: 1 } : {}),
    ...(unionid === undefined ? {} : { unionid })
  }, { textPlain: true })
}

/** Web authorization (网页授权): code exchange, refresh, userinfo and token check. */
export function registerOAuthRoutes (app: FastifyInstance, state: PlatformState): void {
  app.get('/sns/oauth2/access_token', async (request, reply) => {
    const appSecret = state.apps.get(queryParam(request, 'appid') ?? '')
    if (appSecret === undefined) return sendError(reply, ERR.invalidAppid)
    if (queryParam(request, 'secret') !== appSecret) return sendError(reply, ERR.invalidAppsecret)
    if (queryParam(request, 'grant_type') !== 'authorization_code') return sendError(reply, ERR.invalidGrantType)
    const code = queryParam(request, 'code')
    if (code === undefined || code === '') return sendError(reply, ERR.missingCode)
    const outcome = state.oauth.exchange(code)
    return outcome.ok ? sendWebToken(reply, state, outcome.value) : sendError(reply, outcome.error)
  })

  app.get('/sns/oauth2/refresh_token', async (request, reply) => {
    if (!state.apps.has(queryParam(request, 'appid') ?? '')) return sendError(reply, ERR.invalidAppid)
    if (queryParam(request, 'grant_type') !== 'refresh_token') return sendError(reply, ERR.invalidGrantType)
    const outcome = state.oauth.refresh(queryParam(request, 'refresh_token') ?? '')
    return outcome.ok ? sendWebToken(reply, state, outcome.value) : sendError(reply, outcome.error)
  })

  app.get('/sns/userinfo', async (request, reply) => {
    const grant = state.oauth.check(queryParam(request, 'access_token'))
    if (!grant.ok) return sendError(reply, grant.error)
    if (queryParam(request, 'openid') !== grant.value.openid) return sendError(reply, ERR.invalidOpenid)
    if (grant.value.scope !== 'snsapi_userinfo') return sendError(reply, ERR.apiUnauthorized)
    const fan = state.fans.get(grant.value.openid)
    if (fan === undefined) return sendError(reply, ERR.invalidOpenid)
    const snapshot = grant.value.isSnapshotUser === true
    // Since 2021 WeChat no longer discloses sex and region: the fields stay, emptied.
    const legacy = snapshot ? undefined : fan.legacyProfile
    return sendJson(reply, {
      openid: fan.openid,
      nickname: snapshot ? SNAPSHOT_NICKNAME : fan.nickname,
      sex: legacy?.sex ?? 0,
      province: legacy?.province ?? '',
      city: legacy?.city ?? '',
      country: legacy?.country ?? '',
      headimgurl: snapshot ? SNAPSHOT_AVATAR : fan.headimgurl,
      privilege: [],
      ...(fan.unionid === undefined || snapshot ? {} : { unionid: fan.unionid })
    }, { textPlain: true })
  })

  app.get('/sns/auth', async (request, reply) => {
    const grant = state.oauth.check(queryParam(request, 'access_token'))
    if (!grant.ok) return sendError(reply, grant.error)
    if (queryParam(request, 'openid') !== grant.value.openid) return sendError(reply, ERR.invalidOpenid)
    return sendJson(reply, { errcode: 0, errmsg: 'ok' }, { textPlain: true })
  })
}
