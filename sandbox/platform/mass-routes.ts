import type { FastifyInstance } from 'fastify'
import { OK, apiRoute, fail } from './api-route.js'
import type { Json } from './json.js'
import type { PlatformState } from './platform-state.js'
import { ERR } from './wechat-errors.js'
import type { WeChatErrorBody } from './wechat-errors.js'

const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value !== ''

/** What each mass message kind needs; media must be permanent material (mpnews: news). */
function massMessageError (state: PlatformState, body: Json): WeChatErrorBody | undefined {
  const msgtype = String(body.msgtype)
  // An image job's part is named `images`: it carries a list.
  const raw = body[msgtype === 'image' ? 'images' : msgtype]
  const part = (typeof raw === 'object' && raw !== null ? raw : {}) as Json
  const material = (id: unknown, type: string): boolean => typeof id === 'string' && state.media.permanent.get(id)?.type === type
  switch (msgtype) {
    case 'text': return nonEmpty(part.content) ? undefined : ERR.emptyContent
    case 'mpnews': return material(part.media_id, 'news') ? undefined : ERR.invalidMediaId
    case 'voice': return material(part.media_id, 'voice') ? undefined : ERR.invalidMediaId
    case 'mpvideo': return material(part.media_id, 'video') ? undefined : ERR.invalidMediaId
    case 'image': {
      const ids = Array.isArray(part.media_ids) ? part.media_ids as unknown[] : []
      return ids.length > 0 && ids.every((id) => material(id, 'image')) ? undefined : ERR.invalidMediaId
    }
    case 'wxcard': return nonEmpty(part.card_id) ? undefined : ERR.argumentInvalid
    default: return ERR.invalidMessageType
  }
}

/** Mass sends to all or to a tag (sendall), previews, deletion and status. */
export function registerMassRoutes (app: FastifyInstance, state: PlatformState): void {
  const mass = state.massSends

  apiRoute(app, state, 'POST', '/cgi-bin/message/mass/sendall', ({ body }) => {
    const filter = (body.filter ?? {}) as Json
    const toAll = filter.is_to_all === true
    const tagId = Number(filter.tag_id)
    if (!toAll && !state.tags.tags.has(tagId)) fail(ERR.invalidTagId)
    const error = massMessageError(state, body)
    if (error !== undefined) fail(error)
    const clientMsgId = typeof body.clientmsgid === 'string' ? body.clientmsgid : undefined
    if (clientMsgId !== undefined && mass.clientMsgIds.has(clientMsgId)) fail(ERR.clientMsgIdExists)
    if (mass.quotaLeft <= 0) fail(ERR.noMassQuota)
    mass.quotaLeft--
    const msgId = mass.nextMsgId()
    if (clientMsgId !== undefined) mass.clientMsgIds.set(clientMsgId, msgId)
    const recipients = [...state.fans.keys()].filter((openid) => {
      const record = state.followers.of(openid)
      return !record.blacklisted && (toAll || record.tagIds.includes(tagId))
    })
    const msgDataId = body.msgtype === 'mpnews' ? msgId + 205_000_000 : undefined
    mass.jobs.push({ msgId, msgDataId, msgtype: String(body.msgtype), recipients, status: 'SEND_SUCCESS', body, at: state.now() })
    return { errcode: 0, errmsg: 'send job submission success', msg_id: msgId, ...(msgDataId === undefined ? {} : { msg_data_id: msgDataId }) }
  })

  apiRoute(app, state, 'POST', '/cgi-bin/message/mass/preview', ({ body }) => {
    const touser = typeof body.touser === 'string' ? body.touser : ''
    if (!state.fans.has(touser)) fail(ERR.invalidOpenid)
    const error = massMessageError(state, body)
    if (error !== undefined) fail(error)
    const msgId = mass.nextMsgId()
    mass.previews.push({ msgId, touser, body, at: state.now() })
    return { errcode: 0, errmsg: 'preview success', msg_id: msgId }
  })

  apiRoute(app, state, 'POST', '/cgi-bin/message/mass/delete', ({ body }) => {
    const job = mass.jobs.find((candidate) => candidate.msgId === Number(body.msg_id)) ?? fail(ERR.invalidMsgId)
    if (body.article_idx !== undefined && (!Number.isInteger(body.article_idx) || (body.article_idx as number) < 0)) fail(ERR.invalidArticleIdx)
    job.status = 'DELETE'
    return OK
  })

  apiRoute(app, state, 'POST', '/cgi-bin/message/mass/get', ({ body }) => {
    const job = mass.jobs.find((candidate) => candidate.msgId === Number(body.msg_id)) ?? fail(ERR.invalidMsgId)
    return { msg_id: job.msgId, msg_status: job.status }
  })
}
