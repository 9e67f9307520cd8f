import type { FastifyInstance } from 'fastify'
import { OK, apiRoute, fail } from './api-route.js'
import type { Json } from './json.js'
import { noticeDataError, templateKeys } from './notice-data-rules.js'
import type { PlatformState } from './platform-state.js'
import { ERR } from './wechat-errors.js'
import type { WeChatErrorBody } from './wechat-errors.js'

/** The follower a notice goes to, or WeChat's refusal: not a follower, or blacklisted. */
function recipient (state: PlatformState, touser: unknown): string {
  const openid = typeof touser === 'string' ? touser : ''
  if (!state.fans.has(openid)) fail(ERR.invalidOpenid)
  if (state.followers.of(openid).blacklisted) fail(ERR.blacklisted)
  return openid
}

function miniprogramError (miniprogram: unknown): WeChatErrorBody | undefined {
  if (miniprogram === undefined) return undefined
  const { appid, pagepath } = (miniprogram ?? {}) as Json
  if (typeof appid !== 'string' || appid === '') return ERR.invalidWeappAppid
  return typeof pagepath === 'string' ? undefined : ERR.invalidWeappPagepath
}

/** Template messages (message/template/send, private templates) and subscription notices (bizsend). */
export function registerTemplateRoutes (app: FastifyInstance, state: PlatformState): void {
  const { templates } = state

  apiRoute(app, state, 'POST', '/cgi-bin/message/template/send', ({ body, reply, appId }) => {
    const touser = recipient(state, body.touser)
    const template = templates.privateTemplates.get(String(body.template_id)) ?? fail(ERR.invalidTemplateId)
    const error = noticeDataError(body.data, templateKeys(template.content)) ?? miniprogramError(body.miniprogram)
    if (error !== undefined) fail(error)
    const msgid = templates.nextMsgid()
    templates.sent.push({ appId, touser, templateId: template.template_id, msgid, body, at: state.now() })
    // The msgid is written as a bare number past 2^53, as WeChat does: JSON.stringify cannot.
    return reply.code(200).type('application/json; encoding=utf-8').send(`{"errcode":0,"errmsg":"ok","msgid":${msgid}}`)
  })

  apiRoute(app, state, 'GET', '/cgi-bin/template/get_all_private_template', () =>
    ({ template_list: [...templates.privateTemplates.values()] }))

  apiRoute(app, state, 'POST', '/cgi-bin/template/del_private_template', ({ body }) => {
    if (!templates.privateTemplates.delete(String(body.template_id))) fail(ERR.invalidTemplateId)
    return OK
  })

  apiRoute(app, state, 'POST', '/cgi-bin/message/subscribe/bizsend', ({ body, appId }) => {
    const touser = recipient(state, body.touser)
    const template = templates.subscribeTemplates.get(String(body.template_id)) ?? fail(ERR.invalidTemplateId)
    const error = noticeDataError(body.data, template.keys) ?? miniprogramError(body.miniprogram)
    if (error !== undefined) fail(error)
    if (!templates.consumeSubscription(touser, template.templateId)) fail(ERR.userRefused)
    templates.subscribeSent.push({ appId, touser, templateId: template.templateId, body, at: state.now() })
    return OK
  })
}
